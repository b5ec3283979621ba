function greeting(customer) {
  return `Hello, ${customer.name.first}`
}

module.exports = { greeting }
