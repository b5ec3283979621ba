import { describe, expect, it, test } from 'vitest'
import { place, total } from '../src/orders/order'

describe('Order', () => {
  it('totals its lines', () => {
    expect(total([{ sku: 'A-1', price: 2.5, quantity: 2 }, { sku: 'B-2', price: 1, quantity: 1 }])).toBe(7)
  })

  it('counts no lines as zero', () => {
    expect(total([])).toBe(0)
  })

  describe('place', () => {
    it('rejects an empty order', () => {
      expect(() => place([])).toThrow('empty')
    })

    it('places an order', () => {
      const order = place([])
      expect(order.total).toBe(0)
    })
  })
})

test('top-level test without a suite', () => {
  expect({ sku: 'A-1', quantity: 2 }).toEqual({ sku: 'A-1', quantity: 3 })
})
