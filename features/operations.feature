@operations
Feature: Running the store
  Whoever runs the store sets it up with its settings. The store refuses a setup
  that would be unsafe, builds its own database, makes its admin, and sends its
  email where it is told to.

  Rule: A store in production refuses to start without a strong signing key

    @security
    Scenario Outline: A production store with <key> refuses to start
      When a production store is started with <key>
      Then the store refuses to start because its signing key is too weak

      Examples:
        | key                       |
        | no signing key            |
        | a signing key of 31 bytes |

    Scenario: A production store with a signing key of 32 bytes starts
      When a production store is started with a signing key of 32 bytes
      Then Alice can sign up and sign in at that store

  Rule: Only a store under test may hash passwords the fast way

    @security
    Scenario Outline: A <kind> store refuses the fast password hashing
      When a <kind> store is started with the fast password hashing
      Then the store refuses to start because the fast password hashing is for tests only

      Examples:
        | kind        |
        | development |
        | production  |

  Rule: Outside tests, passwords are kept as Argon2id at no less than the OWASP minimum

    @security
    Scenario: A development store keeps Alice's password as Argon2id
      Given a development store is running
      When Alice signs up and signs in at that store
      Then the store keeps Alice's password as Argon2id with at least 19456 KiB, 2 passes and 1 lane

  Rule: Without a signing key, a store makes up its own and warns that passes end with it

    @security
    Scenario: Two stores without a signing key do not accept each other's passes
      Given a development store without a signing key is running
      When Alice signs up and signs in at that store
      Then the store has warned that its passes stop working when it stops
      And Alice's pass opens her account at that store but not at another store without a signing key

  Rule: A store builds and keeps its own database, in the file or server its settings name

    Scenario: A store started on an empty database file is ready at once
      When a store is started on an empty database file
      Then Alice can sign up and sign in at that store

    Scenario: What a store keeps survives its restart
      Given Alice has signed up at a store on a database file
      When that store is stopped and started again
      Then Alice can sign in at that store

    Scenario: A store that does not migrate works on a database the release step brought up to date
      Given the release step has brought an empty database file up to date
      When a store that does not migrate is started on that database file
      Then Alice can sign up and sign in at that store

  Rule: The operator makes the admin from the command line

    Scenario: The operator makes Olivia the admin from the command line
      When the operator makes Olivia the admin of a new database file from the command line
      And a store is started on that database file
      Then Olivia can sign in as the admin of that store

    Scenario: The operator makes Olivia, who already shops at the store, its admin
      Given Olivia has signed up at a store on a database file
      When the operator makes Olivia the admin of that database file from the command line
      Then Olivia can sign in as the admin of that store

    Scenario: An account that took the admin's address is not made the admin
      Given Mallory has signed up at a store on a database file with Olivia's email address
      When the operator tries to make Olivia the admin of that database file from the command line
      Then the command line says the admin was not created because the address is taken
      And Mallory's account at that store is not an admin's

  Rule: Web shops at the allowed origins may call the store from a browser

    @security
    Scenario: A web shop at an allowed origin may call the store
      Given a store that allows web pages from "https://shop.example.com"
      When a browser showing "https://shop.example.com" asks to sign in there
      Then the browser is allowed to call the store from "https://shop.example.com"

    @security
    Scenario: A web page at another origin may not
      Given a store that allows web pages from "https://shop.example.com"
      When a browser showing "https://elsewhere.example.net" asks to sign in there
      Then the browser is not allowed to call the store from "https://elsewhere.example.net"

  @notifications
  Rule: The store writes its email to its log, or hands it to a mail server

    Scenario: A development store writes the welcome email to its log
      Given a development store is running
      When Alice signs up and signs in at that store
      Then the store's log shows a welcome email to Alice

    Scenario: A store set up with a mail server hands it the welcome email
      Given a mail server is running
      And a store that sends its email through that mail server is running
      When Alice signs up and signs in at that store
      Then the mail server receives a welcome email for Alice
