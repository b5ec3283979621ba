const { greeting } = require('../src/orders/customer')

describe('Customer', () => {
  test('greets by first name', () => {
    expect(greeting({ name: { first: 'Ada' } })).toBe('Hello, Ada')
  })

  test('greets a customer without a name', () => {
    expect(greeting({})).toBe('Hello')
  })
})
