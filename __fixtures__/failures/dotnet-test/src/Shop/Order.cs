using System.Collections.Generic;
using System.Linq;

namespace Shop
{
    public class Order
    {
        public const long ShippingCents = 499;

        public Order(string id)
        {
            Id = id;
        }

        public string Id { get; }

        public List<long> Prices { get; } = new List<long>();

        public long Total()
        {
            return Prices.Sum() + ShippingCents;
        }

        public long Cheapest()
        {
            return Prices.Min();
        }
    }
}
