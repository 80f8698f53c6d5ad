@registration
Feature: Signing up
  A shopper opens an account with an email address, a username and a password.
  The account is theirs alone, and the store greets them by email.

  Rule: A shopper signs up with an email address, a username and a password

    @smoke
    Scenario: Alice signs up
      When Alice signs up
      Then Alice's account is created
      And Alice can sign in

    Scenario: An account can also be created under the accounts resource
      When Alice signs up through the accounts resource
      Then Alice's account is created
      And Alice can sign in

    Scenario: An email address may be 254 characters long
      When Alice signs up with an email address of 254 characters
      Then Alice's account is created
      And Alice can sign in

    Scenario: The email address is kept in lower case
      When Alice signs up with the email address "Alice.Wonder@Example.COM"
      Then Alice's account shows the email address "alice.wonder@example.com"

    @security
    Scenario: A new account is an ordinary shopper's, whatever the sign-up asks for
      When Alice signs up asking to be an admin
      Then Alice's sign-up is refused because the is_admin is not allowed
      And nobody can sign in as Alice

  Rule: An email address and a username belong to one account only

    Scenario: The email address is already registered
      Given Bob has an account
      When Alice signs up with Bob's email address
      Then Alice's sign-up is refused because the email is already registered

    Scenario: The email address is already registered in another case
      Given Bob has an account
      When Alice signs up with Bob's email address in capitals
      Then Alice's sign-up is refused because the email is already registered

    Scenario: The username is already taken, in any case
      Given Bob has an account
      When Alice signs up with Bob's username in capitals
      Then Alice's sign-up is refused because the username is already taken

    Scenario: The email address and the username are both taken: the email address is named
      Given Bob has an account
      When Alice signs up with Bob's email address and username
      Then Alice's sign-up is refused because the email is already registered

    @concurrent
    Scenario Outline: Ten sign-ups with one <name> at the same moment make one account
      When 10 shoppers sign up with one <name> at the same moment
      Then one of them has an account and the others are told <reason>

      Examples:
        | name          | reason                          |
        | email address | the email is already registered |
        | username      | the username is already taken   |

  Rule: Sign-ups with invalid details are refused, naming the field

    Scenario Outline: A sign-up with <problem>
      When Alice signs up with the <field> "<value>"
      Then Alice's sign-up is refused because the <field> is invalid
      And nobody can sign in as Alice

      Examples:
        | problem                       | field    | value                             |
        | an address without an at sign | email    | alice.example.com                 |
        | an address without a domain   | email    | alice@                            |
        | a username that is too short  | username | al                                |
        | a username that is too long   | username | alice_has_a_very_long_username_xy |
        | a username with a space       | username | alice wonder                      |
        | a username with a symbol      | username | alice!                            |
        | a password that is too short  | password | abc123                            |
        | a password without a digit    | password | onlyletters                       |
        | a password without a letter   | password | 1234567890                        |

    Scenario: A sign-up without a password
      When Alice signs up without a password
      Then Alice's sign-up is refused because the password is missing

  Rule: Passwords are never shown

    @security
    Scenario: A refused sign-up does not repeat the password it was sent
      When Alice signs up with the password "short1"
      Then Alice's sign-up is refused because the password is invalid
      And the answer does not contain Alice's password

  @notifications
  Rule: The store greets every new account by email, and never loses that email

    @smoke
    Scenario: Alice receives a welcome email
      When Alice signs up
      Then Alice receives a welcome email

    Scenario: The welcome email waits while the mail server is down
      Given the mail server is down
      When Alice signs up
      Then Alice's account is created
      And Alice has not received a welcome email
      When the mail server is back and the retry interval has passed
      Then Alice receives a welcome email

    Scenario: A mail server that stops answering for one email holds up no other
      Given the mail server stops answering when it is given Alice's welcome email
      When Alice signs up
      And Bob signs up
      Then Bob receives a welcome email

    @fake_clock
    Scenario: The welcome email is tried again when the retry interval is over, not before
      Given the mail server is down
      When Alice signs up
      And the mail server is back a second before Alice's retry interval is over
      Then the mail server was tried once, and Alice has no welcome email yet
      When the retry interval is over
      Then Alice receives a welcome email

    @fake_clock
    Scenario: A delivered welcome email is never sent again
      Given Alice has an account
      And Alice has received her welcome email
      When 60 minutes pass
      Then Alice still has one welcome email, and only one

    Scenario: A welcome email the mail server kept without a word is sent again as the same email
      Given the mail server will keep Alice's welcome email but never answer
      When Alice signs up
      And the retry interval passes after the mail server went silent on Alice's welcome email
      Then Alice has her welcome email twice, and both copies are the same email

    @slow @concurrent
    Scenario: Each welcome email is delivered once, however slow the mail server
      Given the store runs on a second server as well
      And the mail server is slow to take each message
      When 12 shoppers sign up at the same moment
      Then each of them receives one welcome email, and only one

    @slow @server_processes
    Scenario: No welcome email is lost when a store server dies while delivering
      Given the mail server is slow to take each message
      When 12 shoppers sign up at the same moment
      And one of the store's servers dies while it delivers their welcome emails
      Then each of them receives their welcome email, and any second copy is the same email

  @notifications
  Rule: An email the mail server refuses for good is kept, and not sent again and again

    Scenario: The mail server has no mailbox at Alice's address
      Given the mail server has no mailbox at Alice's address
      When Alice signs up
      And the retry interval passes after the mail server refused Alice's welcome email
      Then the mail server was offered Alice's welcome email only once
