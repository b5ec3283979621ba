describe('tax', () => {
  it.each([[1000, 80], [50, 4]])('of %i is %i', (amount, want) => {
    expect(Math.floor((amount * 8) / 100)).toBe(want)
  })
})
