using Xunit;
using Xunit.Abstractions;

namespace Shop.Tests
{
    public class OrderTests
    {
        private readonly ITestOutputHelper output;

        public OrderTests(ITestOutputHelper output)
        {
            this.output = output;
        }

        [Fact]
        public void Total_AddsShipping()
        {
            var order = new Order("A-1");
            order.Prices.AddRange(new long[] { 100, 250 });
            Assert.Equal(850, order.Total());
        }

        [Theory]
        [InlineData(new long[] { 1 }, 500)]
        [InlineData(new long[] { 1, 2 }, 503)]
        public void Total_SumsPrices(long[] prices, long expected)
        {
            var order = new Order("B-2");
            order.Prices.AddRange(prices);
            Assert.Equal(expected, order.Total());
        }

        [Fact]
        public void Cheapest_OfEmptyOrder_IsZero()
        {
            var order = new Order("C-3");
            output.WriteLine($"order {order.Id} has {order.Prices.Count} prices");
            Assert.Equal(0, order.Cheapest());
        }

        [Fact]
        public void Id_IsKept()
        {
            Assert.Equal("D-4", new Order("D-4").Id);
        }
    }
}
