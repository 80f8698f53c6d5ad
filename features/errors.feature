@errors
Feature: When things go wrong
  Whatever a client sends, the store answers with a clear refusal that names
  the problem, never repeats what it was sent, and never shows its insides.
  Every answer carries a reference that support can look up in the logs.

  Background:
    Given Alice is signed in

  Rule: Details the store does not know are refused, so nobody can set what is not theirs to set

    @security
    Scenario Outline: A sign-up that sets <detail> is refused
      When Bob signs up setting <detail>
      Then the sign-up is refused because the <detail> is not allowed
      And nobody can sign in as Bob

      Examples:
        | detail     |
        | is_admin   |
        | is_active  |
        | id         |
        | created_at |

  Rule: Requests the store cannot read are refused, naming what is wrong

    Scenario Outline: A sign-up that <problem> is refused
      When Bob sends a sign-up that <problem>
      Then the sign-up is refused because the <part> is invalid
      And nobody can sign in as Bob

      Examples:
        | problem                            | part     |
        | is plain text, not structured data | body     |
        | is a list instead of an object     | body     |
        | has a number for an email          | email    |
        | has a very long username           | username |
        | has a password of 10000 letters    | password |

    Scenario: A sign-up that is not text at all is refused
      When Bob sends a sign-up that is not text at all
      Then the sign-up is refused because the body cannot be read
      And nobody can sign in as Bob

    Scenario: A request larger than one mebibyte is refused before it is read
      When Bob sends a sign-up of more than one mebibyte
      Then the sign-up is refused because the request is too large

    @short_body
    Scenario: A request that says it is larger than one mebibyte is refused without waiting for it
      When Bob sends a sign-up announced as two mebibytes long, and sends only its start
      Then the sign-up is refused because the request is too large
      And nobody can sign in as Bob

    Scenario: A request sent in pieces is refused once it passes one mebibyte
      When Bob sends a sign-up of more than one mebibyte in pieces, without saying its size
      Then the sign-up is refused because the request is too large
      And nobody can sign in as Bob

    Scenario Outline: A request of exactly one mebibyte is read, sent <how>
      When Bob sends a sign-up of exactly one mebibyte <how>
      Then the sign-up is refused because the padding is not allowed
      And nobody can sign in as Bob

      Examples:
        | how                                |
        | at once                            |
        | in pieces, without saying its size |

    Scenario: A request whose body stops half way is given up, and the client told so
      Given a store that waits one second for a request's body is running
      When Bob starts a sign-up at that store and stops sending half way
      Then the sign-up is refused because the request did not arrive in time

  Rule: Odd account numbers and pages are refused, never a failure of the store

    Scenario: A way of asking the catalogue does not offer is refused, naming those it does
      When a visitor asks to remove the whole catalogue
      Then the store answers that the catalogue can only be browsed or added to

    Scenario Outline: Alice asks for the account numbered <number>
      When Alice looks at the account numbered "<number>"
      Then the request is refused because <reason>

      Examples:
        | number                  | reason                     |
        | 0                       | the user id is invalid     |
        | -1                      | the user id is invalid     |
        | twelve                  | the user id is invalid     |
        | 1.5                     | the user id is invalid     |
        | 2147483648              | the user id is invalid     |
        | 99999999999999999999999 | the user id is invalid     |
        | 2147483647              | the account does not exist |

    Scenario: An address the store does not have
      When Alice asks for a page the store does not have
      Then the request is refused because the address does not exist

  Rule: An unexpected failure is reported without details and logged with its reference

    @security @in_process
    Scenario: The store's records fail unexpectedly
      Given the store's records fail unexpectedly
      When Alice looks at her account
      Then Alice is told that something went wrong, without any details
      And the failure is in the store's log under the answer's reference

  Rule: Every answer carries a reference and tells browsers not to guess its type

    Scenario: Alice's own reference comes back
      When Alice looks at her account with the reference "support-case-42"
      Then the answer carries the reference "support-case-42"

    Scenario Outline: A reference is made when <case>
      When Alice looks at her account with the reference "<reference>"
      Then the answer carries a new reference

      Examples:
        | case                    | reference                 |
        | none is sent            |                           |
        | the one sent has spaces | not a safe reference      |
        | the one sent has markup | <script>alert(1)</script> |

    Scenario: Refusals carry a reference too
      When Alice looks at an account that does not exist
      Then the request is refused because the account does not exist
      And the answer carries a new reference
