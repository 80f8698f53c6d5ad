@journey @smoke
Feature: A shopper's journey
  The whole of the store in one story: a new shopper signs up, orders two
  products, confirms the order, pays for it, and finds it paid, with the
  products' stock taken.

  Scenario: Alice buys a teapot and two mugs, from signing up to a paid order
    Given the store sells
      | product     | price | stock |
      | Blue teapot | 24.50 | 5     |
      | Green mug   | 8.00  | 10    |
    When Alice signs up
    And Alice signs in with her new account
    And Alice orders 1 "Blue teapot" and 2 "Green mug"
    And Alice confirms her order
    And Alice pays for her order
    Then Alice's payment succeeds for 40.50 in the store's currency
    And Alice finds her order paid, for 40.50
    And the catalogue holds
      | product     | price | stock |
      | Blue teapot | 24.50 | 4     |
      | Green mug   | 8.00  | 8     |
