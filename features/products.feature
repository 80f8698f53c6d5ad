@catalogue
Feature: The catalogue
  Anyone may browse the store's products, each with its name, description,
  price and stock. Only the store admin adds products or changes them.
  A price is an amount of money above zero with at most two decimal places,
  and the store always shows it with exactly two.

  Background:
    Given Olivia is the store admin

  Rule: Anyone may look at the products, a page at a time, oldest first

    @smoke
    Scenario: A visitor looks at a product
      Given the store sells a "Blue teapot" at 24.50 with 8 in stock
      When a visitor looks at the "Blue teapot"
      Then the visitor sees the "Blue teapot" at 24.50 with 8 in stock

    @empty_store
    Scenario: The catalogue comes a page at a time
      Given the store sells 12 products
      When a visitor browses the catalogue 5 at a time, skipping the first 10
      Then the visitor sees 2 products of 12, oldest first, starting with the 11th

    @empty_store
    Scenario: A page is ten products long unless asked otherwise
      Given the store sells 12 products
      When a visitor browses the catalogue
      Then the visitor sees 10 products of 12, oldest first, starting with the 1st

    Scenario Outline: A page that cannot exist is refused
      When a visitor browses the catalogue with <setting> set to "<value>"
      Then the browsing is refused because the <setting> is invalid

      Examples:
        | setting | value |
        | skip    | -1    |
        | limit   | 0     |
        | limit   | 101   |
        | limit   | ten   |

    Scenario Outline: A visitor asks for the product numbered <number>
      When a visitor looks at the product numbered "<number>"
      Then the lookup is refused because <reason>

      Examples:
        | number                  | reason                     |
        | 4242                    | the product does not exist |
        | 2147483647              | the product does not exist |
        | 2147483648              | the product id is invalid  |
        | 0                       | the product id is invalid  |
        | teapot                  | the product id is invalid  |
        | 99999999999999999999999 | the product id is invalid  |

  Rule: Only the store admin adds products and changes them

    @smoke
    Scenario: Olivia adds a product
      When Olivia adds a "Green mug" at 8.00 with 20 in stock
      Then the "Green mug" is in the catalogue at 8.00 with 20 in stock

    Scenario: A product's description is kept as it was written, line by line
      Given Olivia is the store admin
      When Olivia adds a "Blue teapot" at 24.50 described as
        """
        A glazed stoneware teapot, thrown by hand.

        Holds 1.2 litres; keeps tea hot for an hour.
        """
      Then the "Blue teapot" is described as
        """
        A glazed stoneware teapot, thrown by hand.

        Holds 1.2 litres; keeps tea hot for an hour.
        """

    Scenario: Olivia changes a price; what she leaves out stays as it was
      Given the store sells a "Green mug" at 8.00 with 20 in stock
      When Olivia changes the price of the "Green mug" to 9.50
      Then the "Green mug" is in the catalogue at 9.50 with 20 in stock

    Scenario: Olivia restocks a product
      Given the store sells a "Green mug" at 8.00 with 0 in stock
      When Olivia changes the stock of the "Green mug" to 35
      Then the "Green mug" is in the catalogue at 8.00 with 35 in stock

    Scenario: Olivia changes a product that does not exist
      When Olivia changes the price of a product that does not exist to 9.50
      Then Olivia's change is refused because the product does not exist

    @security @empty_store
    Scenario: A shopper cannot add a product
      Given Alice is signed in
      When Alice adds a "Cheap mug" at 0.50 with 1 in stock
      Then Alice's addition is refused because they are not allowed to
      And the catalogue is empty

    @security
    Scenario: A shopper cannot change a price
      Given the store sells a "Green mug" at 8.00 with 20 in stock
      And Alice is signed in
      When Alice changes the price of the "Green mug" to 0.01
      Then Alice's change is refused because they are not allowed to
      And the "Green mug" is in the catalogue at 8.00 with 20 in stock

    @security @empty_store
    Scenario: A visitor who has not signed in cannot add a product
      When a visitor adds a "Cheap mug" at 0.50 with 1 in stock
      Then the addition is refused because they are not signed in
      And the catalogue is empty

  Rule: A product has a name, a price above zero and a stock that is never negative

    @empty_store
    Scenario Outline: A product with <problem> is refused
      When Olivia adds a product whose <field> is <value>
      Then Olivia's addition is refused because the <field> is invalid
      And the catalogue is empty

      Examples:
        | problem                           | field       | value        |
        | an empty name                     | name        | ""           |
        | a name of spaces only             | name        | "   "        |
        | a name that is too long           | name        | 201 letters  |
        | a description that is too long    | description | 5001 letters |
        | a name holding a NUL character    | name        | text holding a NUL character |
        | a description holding a NUL       | description | text holding a NUL character |
        | a price of zero                   | price       | 0            |
        | a negative price                  | price       | -5.00        |
        | a price with three decimal places | price       | 1.999        |
        | a price that is not a number      | price       | "twelve"     |
        | a price above the highest allowed | price       | 100000.01    |
        | a price with a huge exponent      | price       | 1e999999999  |
        | a price written with a leading 0  | price       | "01.50"      |
        | a price written with three places | price       | "1.500"      |
        | a price in other digits than 0-9  | price       | "١٢"         |
        | a price that is true              | price       | true         |
        | a negative stock                  | stock       | -1           |
        | a stock that is not whole         | stock       | 2.5          |
        | a stock that is not a number      | stock       | "many"       |

    @empty_store
    Scenario Outline: The store says why a price of <price> is refused
      When Olivia adds a product whose price is <price>
      Then Olivia is told that an amount <rule>
      And the catalogue is empty

      Examples:
        | price                  | rule                                                       |
        | true                   | is a number or a decimal string                            |
        | "twelve"               | is a number or a decimal string                            |
        | 1e999999999            | is at most 9999999999.99                                   |
        | -5.00                  | is greater than zero                                       |
        | 1.999                  | has at most two decimal places                             |
        | 0.10000000000000000001 | has at most two decimal places                             |
        | "01.50"                | is written like 19.99: no leading zero, two places at most |

    @empty_store
    Scenario: A stock written as 20.0 is the whole number 20
      When Olivia adds a product whose stock is 20.0
      Then the product is in the catalogue with 20 in stock

    @empty_store
    Scenario: A product without a price is refused
      When Olivia adds a product without a price
      Then Olivia's addition is refused because the price is missing
      And the catalogue is empty

    @security @empty_store
    Scenario: A product cannot be given an id of its own
      When Olivia adds a product whose id is 7
      Then Olivia's addition is refused because the id is not allowed
      And the catalogue is empty

    Scenario: A change cannot make a price zero
      Given the store sells a "Green mug" at 8.00 with 20 in stock
      When Olivia changes the price of the "Green mug" to 0
      Then Olivia's change is refused because the price is invalid
      And the "Green mug" is in the catalogue at 8.00 with 20 in stock

    Scenario: A change cannot leave a product without a name
      Given the store sells a "Green mug" at 8.00 with 20 in stock
      When Olivia changes the name of the "Green mug" to null
      Then Olivia's change is refused because the name is invalid
      And the "Green mug" is in the catalogue at 8.00 with 20 in stock

  Rule: A price is kept exactly and always shown with two decimal places

    Scenario Outline: A price given as <price> is shown as <shown>
      When Olivia adds a product whose price is <price>
      Then the product is shown at <shown>

      Examples:
        | price     | shown     |
        | 3         | 3.00      |
        | 3.5       | 3.50      |
        | 19.99     | 19.99     |
        | "19.99"   | 19.99     |
        | "0.1"     | 0.10      |
        | 100000.00 | 100000.00 |
