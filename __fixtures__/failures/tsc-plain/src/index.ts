import { total, type OrderLine } from './orders/order.js'

const lines: OrderLine[] = [{ sku: 'A-1', price: 2.5, quantity: '2' }]
console.log(total(lines).toFixed(2))
console.log(totl(lines))
