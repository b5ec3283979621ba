const { total } = require('../src/cart')

describe('cart', () => {
  it('is free when empty', () => expect(total([])).toBe(0))
  it('adds the prices', () => expect(total([3, 4])).toBe(7))
})
