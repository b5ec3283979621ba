rootProject.name = "order-service"
