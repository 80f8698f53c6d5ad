@payments
Feature: Paying for orders
  A shopper pays for a confirmed order: the store charges the order's total, in
  the store's currency, through its payment provider, and the order is paid.
  When the provider declines or cannot be reached, the order stays confirmed and
  the shopper may try again; whatever happens on the way, nothing is charged twice.

  Background:
    Given the store sells a "Blue teapot" at 24.50 with 5 in stock
    And Alice has confirmed an order for 2 "Blue teapot"

  Rule: A confirmed order is paid for its total, in the store's currency

    @smoke
    Scenario: Alice pays for her order
      When Alice pays for her order
      Then Alice's payment succeeds for 49.00 in the store's currency
      And Alice's order is paid
      And Alice was charged 49.00 once

    Scenario: A store set up without a payment provider approves the payment itself
      When Alice pays for her order at a store set up without a payment provider
      Then Alice's order is paid
      And the payment provider was asked nothing

    Scenario: The amount must be the order's total
      When Alice pays 48.99 for her order
      Then Alice's payment is refused because the amount is not the order's total
      And Alice's order is still confirmed
      And nothing was charged

    Scenario: The largest amount the store takes is still compared with the order's total
      When Alice pays 9999999999.99 for her order
      Then Alice's payment is refused because the amount is not the order's total
      And nothing was charged

    Scenario: The currency must be the store's currency
      When Alice pays for her order in EUR
      Then Alice's payment is refused because the currency is not the order's currency
      And Alice's order is still confirmed
      And nothing was charged

    Scenario Outline: A payment of <amount> <currency> is refused
      When Alice pays <amount> <currency> for her order
      Then Alice's payment is refused because the <part> is invalid
      And Alice's order is still confirmed
      And nothing was charged

      Examples:
        | amount  | currency | part     |
        | 49.00   | JPY      | currency |
        | 49.00   | usd      | currency |
        | 49.001  | USD      | amount   |
        | -49.00  | USD      | amount   |
        | 0       | USD      | amount   |
        | "forty" | USD      | amount   |

    Scenario Outline: A <status> order cannot be paid
      Given Alice has a <status> order
      When Alice pays for her order
      Then Alice's payment is refused because a <status> order cannot be paid
      And Alice's order is still <status>

      Examples:
        | status    |
        | pending   |
        | paid      |
        | cancelled |

    @security
    Scenario Outline: Only Alice may pay for her order; to <other>, it does not exist
      Given <other> is signed in
      When <other> pays for Alice's order
      Then <other>'s payment is refused because the order does not exist
      And Alice's order is still confirmed
      And nothing was charged

      Examples:
        | other  |
        | Bob    |
        | Olivia |

    Scenario: Paying for an order that does not exist
      When Alice pays for an order that does not exist
      Then Alice's payment is refused because the order does not exist
      And nothing was charged

  Rule: A declined payment leaves the order confirmed, and a new attempt is a new charge

    Scenario: The payment provider declines
      Given the payment provider declines every charge
      When Alice pays for her order
      Then Alice's payment is refused because the payment was declined
      And Alice's order is still confirmed
      And nothing was charged

    Scenario: Alice tries again after a decline
      Given the payment provider will decline the next charge
      And Alice's first payment was declined
      When Alice pays for her order again
      Then Alice's order is paid
      And Alice was charged 49.00 once
      And the provider was asked twice, each time as a new attempt

  Rule: When the provider cannot answer, the order stays confirmed and a retry never charges twice

    Scenario: The payment provider is down
      Given the payment provider is down
      When Alice pays for her order
      Then Alice's payment is refused because the payment provider is unavailable
      And Alice's order is still confirmed
      And nothing was charged

    Scenario: The provider's reply is lost, and Alice tries again
      Given the payment provider will lose its next reply
      When Alice pays for her order
      Then Alice's payment is refused because the payment provider is unavailable
      And Alice's order is still confirmed
      When Alice pays for her order again
      Then Alice's order is paid
      And Alice was charged 49.00 once
      And the provider was asked twice, the second time as a retry of the first

    Scenario: Bob's declined payment does not change how Alice's payment is tried again
      Given Bob has confirmed an order for 1 "Blue teapot"
      And the payment provider will lose its next reply
      And Alice's payment failed because the payment provider was unavailable
      And the payment provider will decline the next charge
      And Bob's first payment was declined
      When Alice pays for her order again
      Then Alice was charged 49.00 once

    Scenario: The provider is back after an outage
      Given the payment provider is down
      And Alice's payment failed because the payment provider was unavailable
      When the payment provider is back
      And Alice pays for her order again
      Then Alice's order is paid
      And Alice was charged 49.00 once

  Rule: A payment sent again with the same idempotency key is carried out only once

    Scenario: Alice's app sends a successful payment again
      When Alice pays for her order with the idempotency key "pay-teapots"
      And Alice pays for her order again with the idempotency key "pay-teapots"
      Then both answers are the same successful payment
      And Alice's order is paid
      And Alice was charged 49.00 once

    Scenario: Alice's app sends a declined payment again
      Given the payment provider will decline the next charge
      When Alice pays for her order with the idempotency key "pay-teapots"
      And Alice pays for her order again with the idempotency key "pay-teapots"
      Then Alice's payment is refused because the payment was declined
      And the provider was asked once
      And Alice's order is still confirmed

    Scenario: After an outage, the same idempotency key may be used again
      Given the payment provider is down
      When Alice pays for her order with the idempotency key "pay-teapots"
      And the payment provider is back
      And Alice pays for her order again with the idempotency key "pay-teapots"
      Then Alice's order is paid
      And Alice was charged 49.00 once

    Scenario: An idempotency key cannot be reused for a different payment
      When Alice pays for her order with the idempotency key "pay-teapots"
      And Alice pays 1.00 for her order with the idempotency key "pay-teapots"
      Then Alice's payment is refused because the idempotency key was used for another payment
      And Alice was charged 49.00 once

    Scenario: A payment sent again while the first is still running
      Given the payment provider is slow to answer
      When Alice's payment with the idempotency key "pay-teapots" is sent again before it is answered
      Then Alice's second payment is refused because a payment with the same idempotency key is in progress
      And the first payment succeeds once the provider answers
      And Alice was charged 49.00 once

    Scenario: The same new idempotency key sent twice at the same moment
      Given the payment provider is slow to answer
      When Alice's payment with the idempotency key "pay-teapots" is sent twice at the same moment
      Then Alice's payment is refused because a payment with the same idempotency key is in progress
      And the first payment succeeds once the provider answers
      And Alice was charged 49.00 once

    Scenario: A payment tried again after an outage holds its idempotency key while it runs
      Given the payment provider was down when Alice first paid with the idempotency key "pay-teapots"
      And the payment provider is slow to answer
      When Alice's payment with the idempotency key "pay-teapots" is sent again before it is answered
      Then Alice's second payment is refused because a payment with the same idempotency key is in progress
      And the first payment succeeds once the provider answers
      And Alice was charged 49.00 once

    @fake_clock
    Scenario: A payment still at the provider after 79 seconds holds its idempotency key
      Given the payment provider is slow to answer
      And Alice's payment with the idempotency key "pay-teapots" is waiting for the provider
      When 79 seconds pass
      And Alice pays for her order again with the idempotency key "pay-teapots"
      Then Alice's payment is refused because a payment with the same idempotency key is in progress
      And Alice was charged 49.00 once when the provider answers

    @fake_clock
    Scenario: After 80 seconds, the idempotency key of a payment that never finished is free again
      Given the payment provider is slow to answer
      And Alice's payment with the idempotency key "pay-teapots" is waiting for the provider
      When 80 seconds pass
      And Alice's payment with the idempotency key "pay-teapots" is sent again
      Then the provider was asked twice, the second time as a retry of the first
      And Alice was charged 49.00 once when the provider answers

    Scenario: Bob's refused payment does not free Alice's idempotency key
      Given Bob has confirmed an order for 1 "Blue teapot"
      And the payment provider is slow to answer
      And Alice's payment with the idempotency key "pay-teapots" is waiting for the provider
      When Bob pays 1.00 for his order with the idempotency key "pay-mugs"
      And Alice pays for her order again with the idempotency key "pay-teapots"
      Then Alice's payment is refused because a payment with the same idempotency key is in progress
      And Alice was charged 49.00 once when the provider answers

    Scenario: After an outage, Alice pays each of her orders again under its own idempotency key
      Given Alice has confirmed another order for 1 "Blue teapot"
      And the payment provider was down when Alice first paid for each of her orders, each under its own idempotency key
      When Alice pays for each of her orders again, each under its own idempotency key
      Then each of Alice's orders is paid and charged once

    @concurrent
    Scenario: A payment refused because its order was paid meanwhile is carried out afresh when sent again
      Given the payment provider is slow to answer
      When Alice's payment is sent twice at the same moment with the idempotency keys "phone" and "laptop", and both reach the provider
      And the payment provider answers
      And Alice's refused payment is sent again with its idempotency key
      Then Alice's payment is refused because a paid order cannot be paid
      And Alice was charged 49.00 once

  Rule: An order cannot be cancelled while its payment is at the provider

    Scenario: Alice tries to cancel her order while it is being paid
      Given the payment provider is slow to answer
      When Alice cancels her order while her payment is waiting for the provider
      Then Alice's cancellation is refused because the order is being paid
      And the first payment succeeds once the provider answers
      And Alice's order is paid
      And Alice was charged 49.00 once

    Scenario: Alice's payment at the provider does not keep Bob from cancelling his order
      Given Bob has confirmed an order for 1 "Blue teapot"
      And the payment provider is slow to answer
      And Alice's payment is waiting for the provider
      When Bob cancels his order
      Then Bob's order is cancelled
      And the first payment succeeds once the provider answers

    @concurrent
    Scenario: Alice pays for and cancels her orders at the same moment
      Given Alice has confirmed 3 more orders for 1 "Blue teapot" each
      When Alice pays for and cancels each of her orders at the same moment
      Then each of Alice's orders is either paid and charged once, or cancelled and not charged

    @security
    Scenario: Idempotency keys are each shopper's own
      Given Bob has confirmed an order for 1 "Blue teapot"
      When Alice pays for her order with the idempotency key "pay-now"
      And Bob pays for his order with the idempotency key "pay-now"
      Then Bob's order is paid
      And Bob was charged 24.50 once
      And Alice was charged 49.00 once

    Scenario: An idempotency key longer than 255 characters is refused
      When Alice pays for her order with an idempotency key of 256 characters
      Then Alice's payment is refused because the idempotency key is too long
      And nothing was charged

    @concurrent
    Scenario: The same payment sent twice at the same moment charges once
      When Alice pays for her order twice at the same moment
      Then one payment succeeds and the other is refused because a paid order cannot be paid
      And Alice's order is paid
      And Alice was charged 49.00 once

    @concurrent
    Scenario: After an outage, the same payment reaches the provider twice at the same moment, and is charged once
      Given the payment provider was down when Alice first paid
      And the payment provider is slow to answer
      When Alice's payment is sent twice at the same moment, and both reach the provider
      And the payment provider answers
      Then one payment succeeds and the other is refused because a paid order cannot be paid
      And Alice was charged 49.00 once

  Rule: A payment whose outcome is unknown is settled before the order can move

    Scenario: The provider's reply is lost, and Alice cancels
      Given the payment provider will lose its next reply
      And Alice's payment failed because the payment provider was unavailable
      When Alice cancels her order
      Then Alice's cancellation is refused because a paid order cannot be cancelled
      And Alice's order turns out paid
      And Alice was charged 49.00 once

    Scenario: Alice cannot cancel while nobody can say whether she was charged
      Given the payment provider will lose its next reply
      And Alice's payment failed because the payment provider was unavailable
      And the payment provider is down
      When Alice cancels her order
      Then Alice's cancellation is refused because the order is being paid
      And Alice's order is still confirmed

    @slow
    Scenario: The store settles a lost reply by itself
      Given the payment provider will lose its next reply
      And Alice's payment failed because the payment provider was unavailable
      When a few seconds pass
      Then Alice's order turns out paid
      And Alice was charged 49.00 once

    Scenario: Once Alice's payment sent again has settled a lost reply, a cancel has nothing left to settle
      Given the payment provider will lose its next reply
      And Alice's payment failed because the payment provider was unavailable
      When Alice pays for her order again
      And Alice cancels her order
      Then Alice's cancellation is refused because a paid order cannot be cancelled
      And the provider was asked twice, the second time as a retry of the first

    Scenario: After an outage and then a lost reply, Alice's cancel finds her order paid
      Given the payment provider was down when Alice first paid
      And the payment provider will lose its next reply
      And Alice's payment failed because the payment provider was unavailable
      When Alice cancels her order
      Then Alice's cancellation is refused because a paid order cannot be cancelled
      And Alice was charged 49.00 once

    @security
    Scenario: Bob's attempt to cancel Alice's order settles nothing of hers
      Given the payment provider will lose its next reply
      And Alice's payment failed because the payment provider was unavailable
      And Bob is signed in
      When Bob cancels Alice's order
      Then Bob's cancellation is refused because the order does not exist
      And the provider was asked once
      And Alice's order is still confirmed

    @fake_clock
    Scenario: A payment at the provider for five minutes is settled before Alice's order can be cancelled
      Given the payment provider is slow to answer
      And Alice's payment is waiting for the provider
      When 5 minutes pass
      And Alice cancels her order, and the store asks the provider
      And the payment provider answers
      Then Alice's cancellation is refused because a paid order cannot be cancelled
      And Alice was charged 49.00 once

    @fake_clock
    Scenario: The store leaves a lost reply alone for a while, for Alice to pay again
      Given the store settles charges of unknown outcome every second
      And the payment provider will lose its next reply
      And Alice's payment failed because the payment provider was unavailable
      When two of the store's rounds of settling go by while its clock stands still
      Then the provider was asked once
      And Alice's order is still confirmed

    Scenario: Nothing was charged when the provider could not be reached, and Alice cancels
      Given the payment provider is down
      And Alice's payment failed because the payment provider was unavailable
      When Alice cancels her order
      Then Alice's order is cancelled
      And nothing was charged

  @network_provider
  Rule: A store set up with a real payment provider charges it over the network

    Scenario: Alice pays through the payment provider
      When Alice pays for her order
      Then Alice's order is paid
      And the payment provider has charged Alice 49.00 once, for her order

    Scenario Outline: The payment provider <behaviour>
      Given the payment provider <behaviour>
      When Alice pays for her order
      Then Alice's payment is refused because <reason>
      And Alice's order is still confirmed
      And the payment provider has charged nothing

      Examples:
        | behaviour                           | reason                              |
        | answers that the charge is declined | the payment was declined            |
        | answers with an error               | the payment provider is unavailable |
        | answers nonsense                    | the payment provider is unavailable |
        | answers without a charge id         | the payment provider is unavailable |
        | cannot be reached                   | the payment provider is unavailable |

    Scenario Outline: The payment provider's whole answer takes too long: it <behaves>
      Given the payment provider <behaves>
      When Alice pays for her order
      Then Alice's payment is refused because the payment provider is unavailable
      And Alice's order is still confirmed

      Examples:
        | behaves                              |
        | takes too long to answer             |
        | answers a byte at a time, too slowly |

    Scenario: The payment provider answered too late, and Alice cancels
      Given the payment provider takes too long to answer
      And Alice's payment failed because the payment provider was unavailable
      When the payment provider is back
      And Alice cancels her order
      Then Alice's cancellation is refused because a paid order cannot be cancelled
      And Alice's order turns out paid
      And Alice was charged 49.00 once
