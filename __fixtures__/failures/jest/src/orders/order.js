function total(lines) {
  return lines.reduce((sum, line) => sum + line.price * line.quantity, 0)
}

function place(lines) {
  if (lines.length === 0) throw new Error('an order needs at least one line')
  return { lines, total: total(lines) }
}

module.exports = { total, place }
