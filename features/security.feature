@security
Feature: Keeping the store safe
  This page is the index of the store's security promises, one rule for each risk
  of the OWASP API Security Top 10 (2023) that applies to it. Where another page
  already says it, the rule names that page's scenarios; the contract's API-01 to API-10
  rules trace each risk to all of its scenarios.

  Rule: A shopper reaches only her own orders and account (API1, object-level authorization)
    Specified in ordering.feature ("Bob cannot see Alice's order"), payments.feature
    and accounts.feature (a shopper changing another's account is refused).

  Rule: Only a valid pass opens an account, and sign-in tells nothing about who has one (API2, authentication)
    Specified in authentication.feature: the pass matrix, the throttle on failed
    sign-ins, and the same refusal for a name nobody has.

  Rule: Nobody sets or reads what is not theirs (API3, property-level authorization)
    Specified in errors.feature (a sign-up setting a detail it may not) and
    registration.feature (no answer repeats a password).

  Rule: Nobody can exhaust the store with one request (API4, unrestricted resource consumption)

    Scenario Outline: A product numbered "<number>" is not a product number
      Given Olivia is the store admin
      When a visitor looks at the product numbered "<number>"
      Then the lookup is refused because the product id is invalid

      Examples:
        | number |
        | ١٢     |
        | +12    |
        | 12.0   |
        | 1_2    |

    Scenario: A request with oversized headers is turned away
      Given Alice is signed in
      When Alice looks at her account sending 20 kibibytes of headers
      Then Alice's request is turned away because its headers are too large

    Scenario Outline: Headers are read up to the limit, to the byte
      Given Alice is signed in
      When Alice looks at her <what> with a request line and headers of <size> bytes
      Then <answer>

      Examples:
        | what                                       | size  | answer                                                           |
        | orders                                     | 16384 | Alice's request is read                                          |
        | orders                                     | 16385 | Alice's request is turned away because its headers are too large |
        | account                                    | 16384 | Alice's request is read                                          |
        | account                                    | 16385 | Alice's request is turned away because its headers are too large |
        | account at an address spelled with escapes | 16384 | Alice's request is read                                          |
        | account at an address spelled with escapes | 16385 | Alice's request is turned away because its headers are too large |

    Scenario: Headers of 48 mebibytes are turned away before they are read
      Given the store is served by its own command
      When a client sends a request with headers of 48 mebibytes
      Then the store closes the connection at once

    Scenario: A sign-up whose body stalls is given up quickly
      Given the store is served by its own command
      When a client starts a sign-up and stops sending half way
      Then the client is told within 3 seconds that its request did not arrive in time

  Rule: Only the store admin runs the store's business (API5, function-level authorization)
    Specified in products.feature (a shopper adding a product is refused).

  Rule: Money is written in the digits 0 to 9 (API8, security misconfiguration: input)

    Scenario Outline: A price written "<price>" is refused
      Given Olivia is the store admin
      When Olivia adds a product whose price is "<price>"
      Then Olivia's addition is refused because the price is invalid

      Examples:
        | price |
        | ١٢    |
        | １２    |
        | ١٢.٥٠ |

  Rule: An email address is kept in the form every mail server delivers to

    Scenario Outline: Alice signs up with the address "<typed>"
      When Alice signs up with the email address "<typed>"
      Then Alice's account shows the email address "<kept>"

      Examples:
        | typed                         | kept                          |
        | alice@xn--bcher-kva.example   | alice@xn--bcher-kva.example   |
        | alice.b@Bücher.example        | alice.b@xn--bcher-kva.example |

    Scenario: An address no mail server can take is refused
      When Alice signs up with the email address "アリス@example.com"
      Then Alice's sign-up is refused because the email is invalid
      And Alice is told that the part before the @ must be ASCII letters, digits or symbols

    Scenario Outline: Alice signs in with her address written at "<domain>"
      Given Alice has an account with an address at "Bücher.example"
      When Alice signs in with her address written at "<domain>"
      Then Alice is signed in as herself

      Examples:
        | domain                |
        | Bücher.example        |
        | BÜCHER.EXAMPLE        |
        | xn--bcher-kva.example |

  Rule: A production store starts only when it is set up for real (API8, security misconfiguration)

    Scenario Outline: A production store set up with <setup> does not start
      When a production store is set up with <setup>
      Then the production store does not start, because <reason>

      Examples:
        | setup                                  | reason                                   |
        | the sandbox payments                   | its payments would never be charged       |
        | its mail written to its log            | its mail would never be sent              |
        | a signing key of 32 times the same letter | its signing key is too easy to guess   |

    Scenario: A production store does not show the map of its API
      Given a production store is running
      When a visitor asks for the store's API documentation
      Then the store has no API documentation to show

    Scenario: A production store shows the map of its API when told to
      Given a production store that publishes its API documentation is running
      When a visitor asks for the store's API documentation
      Then the store shows its API documentation

    Scenario: The store's own server does not name its software
      Given the store is served by its own command
      When a client checks the store's health
      Then the answer does not name the server software

    Scenario: A request that is not HTTP is refused with the store's safety headers
      Given the store is served by its own command
      When a client sends the store something that is not HTTP
      Then the client is told its request is malformed, with the store's safety headers

  Rule: The store keeps a map of every operation it offers (API9, improper inventory management)
    Specified by tests/unit/test_openapi.py: the document the store serves is the one
    committed in docs/openapi.json, every status a route answers is in it, and every
    answer a scenario gets is checked against it; errors.feature shows a method an
    address does not offer named with those it does.

  Rule: The store distrusts its payment provider's answers (API10, unsafe consumption of APIs)
    Specified in payments.feature: a provider that answers nonsense, slowly or not
    at all leaves the order unpaid and is reported as unavailable.
