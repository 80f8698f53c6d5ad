@orders
Feature: Ordering
  A signed-in shopper orders products from the catalogue. The order is pending
  until the shopper confirms it, which takes its stock; it can be cancelled until
  it is paid. An order keeps the prices of the moment it was placed, and it is
  private to its shopper.

  Background:
    Given the store sells a "Blue teapot" at 24.50 with 5 in stock
    And the store sells a "Green mug" at 8.00 with 10 in stock
    And Alice is signed in

  Rule: A shopper orders products of the catalogue at today's prices

    @smoke
    Scenario: Alice places an order
      When Alice orders 2 "Blue teapot" and 3 "Green mug"
      Then Alice's order is pending, for 73.00 in the store's currency
      And the order lists 2 "Blue teapot" at 24.50 and 3 "Green mug" at 8.00
      And the "Blue teapot" is in the catalogue at 24.50 with 5 in stock

    Scenario: The order keeps the price of the moment it was placed
      Given Alice has ordered 1 "Blue teapot"
      When Olivia changes the price of the "Blue teapot" to 30.00
      Then Alice's order still lists 1 "Blue teapot" at 24.50, for 24.50

    Scenario: The same product twice becomes one line of the order
      When Alice orders 2 "Green mug" and 3 "Green mug"
      Then the order lists 5 "Green mug" at 8.00

    Scenario: Totals are exact to the cent
      Given the store sells a "Paper clip" at 0.10 with 50 in stock
      When Alice orders 3 "Paper clip"
      Then Alice's order is pending, for 0.30 in the store's currency

  Rule: An order holds 1 to 50 products, and 1 to 1000 of each

    Scenario Outline: An order with <problem> is refused
      When Alice places an order with <problem>
      Then Alice's order is refused because the <part> is invalid
      And Alice has no orders

      Examples:
        | problem                                  | part       |
        | no products                              | items      |
        | 51 different products                    | items      |
        | none of a product                        | quantity   |
        | 1001 of a product                        | quantity   |
        | half of a product                        | quantity   |
        | 1000 and then 1 more of the same product | items      |
        | a product named by text                  | product_id |

    @security
    Scenario Outline: An order cannot set its own <detail>
      When Alice places an order setting its <detail>
      Then Alice's order is refused because the <detail> is not allowed
      And Alice has no orders

      Examples:
        | detail     |
        | status     |
        | total      |
        | unit_price |

  Rule: Only products in the catalogue can be ordered, and only while their stock lasts

    Scenario: A product that does not exist
      When Alice orders 1 "Blue teapot" and 1 of a product that does not exist
      Then Alice's order is refused because the product does not exist
      And Alice has no orders

    Scenario: More than the stock
      When Alice orders 6 "Blue teapot"
      Then Alice's order is refused because the stock ran out
      And the "Blue teapot" is named as the product that ran out
      And Alice has no orders

    Scenario: A missing product is reported before a short stock
      When Alice orders 6 "Blue teapot" and 1 of a product that does not exist
      Then Alice's order is refused because the product does not exist

    Scenario: When several products run short, the one added first is named
      When Alice orders 11 "Green mug" and 6 "Blue teapot"
      Then Alice's order is refused because the stock ran out
      And the "Blue teapot" is named as the product that ran out

  Rule: Confirming takes the stock of every item at once, or none of it

    @smoke
    Scenario: Alice confirms her order
      Given Alice has ordered 2 "Blue teapot" and 3 "Green mug"
      When Alice confirms her order
      Then Alice's order is confirmed
      And the "Blue teapot" is in the catalogue at 24.50 with 3 in stock
      And the "Green mug" is in the catalogue at 8.00 with 7 in stock

    Scenario: When one item is short, no stock moves at all
      Given Alice has ordered 2 "Blue teapot" and 3 "Green mug"
      And the store has only 2 "Green mug" left
      When Alice confirms her order
      Then Alice's confirmation is refused because the stock ran out
      And the "Green mug" is named as the product that ran out
      And Alice's order is still pending
      And the "Blue teapot" is in the catalogue at 24.50 with 5 in stock

    Scenario Outline: A <status> order cannot be confirmed
      Given Alice has a <status> order
      When Alice confirms her order
      Then Alice's confirmation is refused because a <status> order cannot be confirmed
      And Alice's order is still <status>

      Examples:
        | status    |
        | confirmed |
        | paid      |
        | cancelled |

    @concurrent
    Scenario: The last units
      Given the store has 3 "Blue teapot" left
      And 5 shoppers have each ordered 1 "Blue teapot"
      When they all confirm their orders at the same moment
      Then exactly 3 of the confirmations succeed
      And the others are refused because the stock ran out
      And the "Blue teapot" is in the catalogue at 24.50 with 0 in stock

  Rule: An order can be cancelled until it is paid, and a confirmed one gives its stock back

    Scenario: Alice cancels a pending order
      Given Alice has ordered 2 "Blue teapot"
      When Alice cancels her order
      Then Alice's order is cancelled
      And the "Blue teapot" is in the catalogue at 24.50 with 5 in stock

    Scenario: Alice cancels a confirmed order and its stock comes back
      Given Alice has confirmed an order for 2 "Blue teapot"
      When Alice cancels her order
      Then Alice's order is cancelled
      And the "Blue teapot" is in the catalogue at 24.50 with 5 in stock

    Scenario Outline: A <status> order cannot be cancelled
      Given Alice has a <status> order
      When Alice cancels her order
      Then Alice's cancellation is refused because a <status> order cannot be cancelled
      And Alice's order is still <status>

      Examples:
        | status    |
        | paid      |
        | cancelled |

    @concurrent
    Scenario: Cancelling twice at the same moment gives the stock back once
      Given Alice has confirmed an order for 2 "Blue teapot"
      When Alice cancels her order twice at the same moment
      Then one cancellation succeeds and the other is refused because a cancelled order cannot be cancelled
      And the "Blue teapot" is in the catalogue at 24.50 with 5 in stock

  Rule: A shopper's orders are theirs alone; the store admin may look at any of them

    Scenario: Alice looks at her order
      Given Alice has ordered 2 "Blue teapot"
      When Alice looks at her order
      Then Alice sees her order, pending, for 49.00

    Scenario: Olivia the store admin looks at Alice's order
      Given Alice has ordered 2 "Blue teapot"
      When Olivia looks at Alice's order
      Then Olivia sees Alice's order, pending, for 49.00

    @security
    Scenario: Bob cannot see Alice's order, nor learn that it exists
      Given Alice has ordered 2 "Blue teapot"
      And Bob is signed in
      When Bob looks at Alice's order
      Then Bob's lookup is refused because the order does not exist

    @security
    Scenario Outline: Only Alice may <action> her order; to <other>, it does not exist
      Given Alice has ordered 2 "Blue teapot"
      And <other> is signed in
      When <other> <action>s Alice's order
      Then <other>'s <attempt> is refused because the order does not exist
      And Alice's order is still pending

      Examples:
        | other  | action  | attempt      |
        | Bob    | confirm | confirmation |
        | Bob    | cancel  | cancellation |
        | Olivia | confirm | confirmation |
        | Olivia | cancel  | cancellation |

    Scenario: An order that does not exist
      When Alice looks at an order that does not exist
      Then Alice's lookup is refused because the order does not exist

    Scenario: Alice lists only her own orders
      Given Alice has placed 3 orders
      And Bob has placed 2 orders
      When Alice lists her orders
      Then Alice sees 3 orders of 3, oldest first, starting with the 1st

    Scenario Outline: Orders come a page at a time
      Given Alice has placed 3 orders
      When Alice lists her orders 2 at a time, skipping the first <skipped>
      Then Alice sees <page> of 3, oldest first, starting with the <first>

      Examples:
        | skipped | page     | first |
        | 0       | 2 orders | 1st   |
        | 2       | 1 order  | 3rd   |

    @security
    Scenario: Orders are not listed to someone who has not signed in
      When a visitor lists the orders
      Then the listing is refused because they are not signed in

  Rule: Orders are business records, kept when their shopper closes the account

    Scenario: Alice's paid order outlives her account
      Given Alice has a paid order
      When Alice deletes her account
      Then Alice's account is gone
      When Olivia looks at Alice's order
      Then Olivia sees Alice's order, paid, for 24.50
