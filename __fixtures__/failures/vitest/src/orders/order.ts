export interface OrderLine {
  sku: string
  price: number
  quantity: number
}

export function total(lines: OrderLine[]): number {
  return lines.reduce((sum, line) => sum + line.price * line.quantity, 0)
}

export function place(lines: OrderLine[]): { lines: OrderLine[]; total: number } {
  if (lines.length === 0) throw new Error('an order needs at least one line')
  return { lines, total: total(lines) }
}
