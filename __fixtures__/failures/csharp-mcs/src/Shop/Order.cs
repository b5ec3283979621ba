using System;
using System.Collections.Generic;
using System.Linq;

namespace Shop
{
    public class Order
    {
        public string Id { get; }
        public List<long> Prices { get; } = new List<long>();

        public Order(string id)
        {
            Id = id;
        }

        public long Total()
        {
            return Prices.Sum() + shippingCents;
        }

        public int Count()
        {
            long count = Prices.Count;
            return count;
        }
    }
}
