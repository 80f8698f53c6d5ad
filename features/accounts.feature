@accounts
Feature: Managing accounts
  A signed-in shopper sees their own account and the accounts of the store,
  changes their details, and may close their account. The store admin may do
  the same for anyone. Nobody ever sees a password.

  Rule: A signed-in shopper sees their own account

    @smoke
    Scenario: Alice looks at her account
      Given Alice is signed in
      When Alice looks at her account
      Then Alice sees her email address and username
      And the answer contains no password and is not kept in caches

  Rule: Signed-in shoppers see the store's accounts, page by page, oldest first
    The store's own admin, set up with the store, is always its first account.

    @empty_store
    Scenario: The accounts come a page at a time
      Given 12 shoppers have accounts
      And Alice is signed in
      When Alice lists the accounts 5 at a time, skipping the first 10
      Then Alice sees 4 accounts of 14, oldest first, starting with the 11th

    @empty_store
    Scenario: A page is ten accounts long unless asked otherwise
      Given 12 shoppers have accounts
      And Alice is signed in
      When Alice lists the accounts
      Then Alice sees 10 accounts of 14, oldest first, starting with the 1st

    @empty_store
    Scenario: A page beyond the last is empty
      Given Alice is signed in
      When Alice lists the accounts 5 at a time, skipping the first 50
      Then Alice sees 0 accounts of 2, oldest first, starting with the 51st

    Scenario Outline: A page that cannot exist is refused
      Given Alice is signed in
      When Alice lists the accounts with <setting> set to "<value>"
      Then the listing is refused because the <setting> is invalid

      Examples:
        | setting | value                   |
        | skip    | -1                      |
        | skip    | many                    |
        | skip    | 99999999999999999999999 |
        | limit   | 0                       |
        | limit   | 101                     |
        | limit   | ten                     |

    @security
    Scenario: The accounts are not listed to someone who is not signed in
      When someone lists the accounts without a pass
      Then the request is refused because they are not signed in

    Scenario: Alice looks at Bob's account
      Given Bob has an account
      And Alice is signed in
      When Alice looks at Bob's account
      Then Alice sees Bob's email address and username

    Scenario: An account that does not exist
      Given Alice is signed in
      When Alice looks at an account that does not exist
      Then the request is refused because the account does not exist

  Rule: A shopper changes their own details; what they leave out stays as it was

    Scenario: Alice changes her email address
      Given Alice is signed in
      When Alice changes her email address
      Then Alice's account shows her new email address and her old username
      And Alice can sign in with her new email address

    Scenario: Alice changes her username
      Given Alice is signed in
      When Alice changes her username
      Then Alice's account shows her new username and her old email address

    Scenario: Alice cannot take Bob's email address
      Given Bob has an account
      And Alice is signed in
      When Alice changes her email address to Bob's
      Then the change is refused because the email is already registered
      And Alice's account is unchanged

    Scenario: Alice cannot take Bob's username, in any case
      Given Bob has an account
      And Alice is signed in
      When Alice changes her username to Bob's in capitals
      Then the change is refused because the username is already taken
      And Alice's account is unchanged

    Scenario: Alice cannot take Bob's email address and username at once, and is told of the email address
      Given Bob has an account
      And Alice is signed in
      When Alice changes her email address and username to Bob's
      Then the change is refused because the email is already registered
      And Alice's account is unchanged

    Scenario: Alice writes her own username in capitals
      Given Alice is signed in
      When Alice changes her username to her own in capitals
      Then Alice's account shows her new username and her old email address

    @concurrent
    Scenario Outline: Ten shoppers change their <name> to the same new one at the same moment: one of them gets it
      Given 10 shoppers have accounts
      When the 10 shoppers change their <name> to the same new one at the same moment
      Then one of them has it and the others are told <reason>

      Examples:
        | name          | reason                          |
        | email address | the email is already registered |
        | username      | the username is already taken   |

    Scenario Outline: A change with an invalid <field> is refused
      Given Alice is signed in
      When Alice changes her <field> to "<value>"
      Then the change is refused because the <field> is invalid
      And Alice's account is unchanged

      Examples:
        | field    | value        |
        | email    | not-an-email |
        | username | a            |
        | password | short1       |

    @security
    Scenario: A shopper cannot make herself an admin
      Given Alice is signed in
      When Alice changes her account to make herself an admin
      Then the change is refused because the is_admin is not allowed
      And Alice is still an ordinary shopper

  @security
  Rule: Only the account's owner or the store admin may change or delete it

    Scenario: Alice cannot change Bob's account
      Given Bob has an account
      And Alice is signed in
      When Alice changes Bob's email address
      Then the change is refused because they are not allowed to
      And Bob's account is unchanged

    Scenario: Alice cannot delete Bob's account
      Given Bob has an account
      And Alice is signed in
      When Alice deletes Bob's account
      Then the deletion is refused because they are not allowed to
      And Bob can still sign in

    Scenario: The store admin changes Bob's email address
      Given Bob has an account
      And Olivia is the store admin
      When Olivia changes Bob's email address
      Then Bob's account shows his new email address and his old username

    Scenario: The store admin resets Bob's password, which closes Bob's passes
      Given Bob is signed in
      And Olivia is the store admin
      When Olivia changes Bob's password
      Then Bob's old pass no longer opens his account
      And Bob can sign in with his new password

    Scenario: The store admin deletes Bob's account
      Given Bob has an account
      And Olivia is the store admin
      When Olivia deletes Bob's account
      Then Bob's account is gone

    Scenario: The store admin changes an account that does not exist
      Given Olivia is the store admin
      When Olivia changes the email address of an account that does not exist
      Then the change is refused because the account does not exist

  Rule: A deleted account is gone for everyone, and its names are free again

    @smoke
    Scenario: Alice deletes her account
      Given Alice is signed in
      When Alice deletes her account
      Then Alice's account is gone
      And Alice's pass no longer opens her account
      And nobody can sign in as Alice

    Scenario: A deleted account's email address and username can be used again
      Given Alice had an account that she deleted
      When Bob signs up with Alice's email address and username
      Then Bob's account is created

    Scenario: An account cannot be deleted twice
      Given Olivia is the store admin
      And Alice had an account that she deleted
      When Olivia deletes Alice's account
      Then the deletion is refused because the account does not exist

  Rule: The store admin is made when the store starts

    Scenario: The store starts with the admin it is configured with
      When the store starts with Olivia configured as its admin
      Then Olivia can sign in as the store admin

    Scenario: A shopper who signed up with the admin's email address and password is made the admin
      Given Olivia has an account
      When the store starts with Olivia configured as its admin
      Then Olivia can sign in as the store admin

    Scenario: The store makes its admin again when the admin's account was deleted
      Given the store has started with Olivia configured as its admin
      And Olivia has deleted her account
      When the store starts with Olivia configured as its admin
      Then Olivia can sign in as the store admin

    @security
    Scenario: A shopper who signed up with the admin's email address is not made the admin
      Given Mallory has an account
      When the store starts with Mallory's email address configured for its admin, with another password
      Then Mallory is still an ordinary shopper
      And the store's log says that its admin was not made
