plugins {
    kotlin("jvm") version "1.6.21"
}

repositories {
    mavenCentral()
}
