using System;

namespace Shop
{
    public class Cart : IDisposable
    {
        private readonly Order order = new Order("A-1");

        public string Describe()
        {
            int unused;
            return order.Id + " " + order.Total();
        }
    }
}
