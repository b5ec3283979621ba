export interface OrderLine {
  sku: string
  price: number
  quantity: number
}

export function total(lines: OrderLine[]): number {
  return lines.reduce((sum, line) => sum + line.price * line.quantity, 0)
}

export function label(lines: OrderLine[]): string {
  const count: number = lines.length
  return count
}

export const format: (line: OrderLine) => string = (line: { sku: number }) => String(line.sku)
