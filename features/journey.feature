@journey @smoke
Feature: A shopper's journey
  The whole of the store in one story: a new shopper signs up, orders two
  products, confirms the order, pays for it, and finds it paid, with the
  products' stock taken.

  Scenario: Alice buys a teapot and two mugs, from signing up to a paid order
    Given the store sells a "Blue teapot" at 24.50 with 5 in stock
    And the store sells a "Green mug" at 8.00 with 10 in stock
    When Alice signs up
    And Alice signs in with her new account
    And Alice orders 1 "Blue teapot" and 2 "Green mug"
    And Alice confirms her order
    And Alice pays for her order
    Then Alice's payment succeeds for 40.50 in the store's currency
    And Alice finds her order paid, for 40.50
    And the "Blue teapot" is in the catalogue at 24.50 with 4 in stock
    And the "Green mug" is in the catalogue at 8.00 with 8 in stock
