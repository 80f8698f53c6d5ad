@auth
Feature: Signing in
  A shopper signs in with their username or email address and a password, and
  then carries a pass that opens their account for a limited time. Guessing
  passwords gets a shopper nowhere.

  Background:
    Given Alice has an account

  Rule: A shopper signs in with their username or their email address

    @smoke
    Scenario: Alice signs in with her username
      When Alice signs in with her username
      Then Alice is signed in as herself

    Scenario: Alice signs in with her email address, in any case
      When Alice signs in with her email address in capitals
      Then Alice is signed in as herself

    @security
    Scenario: Alice's pass names her and lasts thirty minutes
      When Alice signs in with her username
      Then Alice's pass names her and expires thirty minutes after it was issued

  Rule: A failed sign-in does not tell what was wrong

    @security
    Scenario Outline: A sign-in with <mistake> is refused
      Given Bob had an account that he deleted
      When someone signs in with <mistake>
      Then the sign-in is refused because the credentials are invalid

      Examples:
        | mistake                           |
        | Alice's name and a wrong password |
        | a name nobody has                 |
        | Bob's name and password           |
        | a name holding a NUL character    |

    Scenario: A sign-in without a password
      When someone signs in without a password
      Then the sign-in is refused because the password is missing

  Rule: A pass is needed to see anything private

    @security
    Scenario: Without a pass, Alice's account stays closed
      When someone asks for their own account without a pass
      Then the request is refused because they are not signed in

    @security
    Scenario Outline: A pass that <problem> is refused
      When someone asks for Alice's account with a pass that <problem>
      Then the request is refused because the token is not valid

      Examples:
        | problem                                         |
        | is not a pass at all                            |
        | has expired                                     |
        | was signed with another key                     |
        | is not signed                                   |
        | was signed with another algorithm               |
        | names nobody                                    |
        | does not say who it is for                      |
        | does not say when it expires                    |
        | names someone who no longer exists              |
        | names its holder by a word                      |
        | names its holder in other digits than 0-9       |
        | names a holder number too long to be one        |
        | does not say which password it was issued under |
        | says its password version is true               |
        | says its password version is false              |
        | says when it was issued in words                |

    @fake_clock
    Scenario: A pass stops working when its time is up
      Given Alice is signed in
      When 30 minutes pass
      Then Alice's pass no longer opens her account

    @fake_clock
    Scenario: A pass still works just before its time is up
      Given Alice is signed in
      When 29 minutes pass
      Then Alice's pass still opens her account

    @fake_clock
    Scenario Outline: A pass is timed by the store's own clock, even a day <off> the world's
      Given the store's clock is a day <off> the world's
      When Alice signs in with her username
      Then Alice is signed in as herself

      Examples:
        | off      |
        | ahead of |
        | behind   |

  Rule: A new password closes every pass issued before it, at once

    @security
    Scenario: Alice changes her password and her old pass stops working
      Given Alice is signed in
      When Alice changes her password
      Then Alice's old pass no longer opens her account
      And Alice can sign in with her new password

  @security
  Rule: Five failed sign-ins with one name in fifteen minutes lock that name for the rest of those fifteen minutes

    Scenario: The sixth try is refused, even with the right password
      Given someone has failed to sign in as Alice 5 times
      When Alice signs in with her username
      Then the sign-in is refused because there are too many failed sign-ins
      And Alice is told to wait 15 minutes before trying again

    @fake_clock
    Scenario: The lock lifts fifteen minutes after the first failure
      Given someone has failed to sign in as Alice 5 times, a minute apart
      When 11 minutes pass
      And Alice signs in with her username
      Then Alice is signed in as herself

    @fake_clock
    Scenario: In the lock's last second Alice is told to wait one second
      Given someone has failed to sign in as Alice 5 times
      When 14 minutes pass
      And 59 seconds pass
      And Alice signs in with her username
      Then the sign-in is refused because there are too many failed sign-ins
      And Alice is told to wait 1 second before trying again

    Scenario: A successful sign-in forgets the earlier failures
      Given someone has failed to sign in as Alice 4 times
      And Alice has signed in
      And someone has failed to sign in as Alice 4 times
      When Alice signs in with her username
      Then Alice is signed in as herself

    Scenario Outline: Signing in with her <used name> forgets the failures with Alice's <other name>
      Given someone has failed to sign in as Alice 4 times with her <other name>
      And Alice has signed in with her <used name>
      And someone has failed to sign in as Alice 4 times with her <other name>
      When Alice signs in with her <other name>
      Then Alice is signed in as herself

      Examples:
        | used name     | other name    |
        | username      | email address |
        | email address | username      |

    Scenario: Failures are counted for the name that was typed
      Given someone has failed to sign in as Alice 5 times with her email address
      When Alice signs in with her email address
      Then the sign-in is refused because there are too many failed sign-ins

    Scenario: A name that matches no account is locked the same way
      Given someone has failed to sign in as "nobody_here" 5 times
      When someone signs in as "nobody_here"
      Then the sign-in is refused because there are too many failed sign-ins

    @in_process
    Scenario: Alice signs in while the store cannot write to its database
      Given someone has failed to sign in as Alice 2 times
      And the store's database can no longer be written to
      When Alice signs in with her username
      Then Alice is signed in as herself

    Scenario: Locking one account does not lock another
      Given Bob has an account
      And someone has failed to sign in as Alice 5 times
      When Bob signs in with his username
      Then Bob is signed in as himself

    Scenario: A name that only looks like Alice's username does not lock it
      Given someone has failed to sign in as Alice 5 times with her username written with a dotless ı
      When Alice signs in with her username
      Then Alice is signed in as herself

    @concurrent
    Scenario: Wrong passwords sent at the same moment get no more tries than five
      When someone sends 20 wrong passwords for Alice at the same moment
      Then 5 of them are refused as wrong and the others because there are too many failed sign-ins

    @concurrent
    Scenario: Alice signing in on many devices at the same moment is never refused
      When Alice signs in on 20 devices at the same moment
      Then each of Alice's sign-ins succeeds

  @security
  Rule: A locked name tells nothing about other names, nor whether it is an account

    Scenario: A lock on Alice's username says nothing about her email address
      Given someone has failed to sign in as Alice 5 times with her username
      When someone signs in with Alice's email address and a wrong password
      Then the sign-in is refused because the credentials are invalid

    Scenario: Alice signs in with her email address while her username is locked
      Given someone has failed to sign in as Alice 5 times with her username
      When Alice signs in with her email address
      Then Alice is signed in as herself
