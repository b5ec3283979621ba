export interface Address {
  street: string
  city: string
}

export interface Customer {
  name: string
  address: Address
}

export const customer: Customer = {
  name: 'Ada',
  address: { street: '1 Main St', town: 'London' }
}
