@health
Feature: Health check
  Whoever runs the store asks it whether it is healthy, to route customers to it
  or to raise an alarm.

  Rule: The store says whether it can reach its database, and whether it can write to it

    @smoke
    Scenario: A healthy store
      When the operator checks the store's health
      Then the store reports that it and its database are ok

    @in_process
    Scenario: The database cannot be reached
      Given the store's database cannot be reached
      When the operator checks the store's health
      Then the store reports that it and its database are unavailable

    @in_process
    Scenario: The database can be read but not written to
      Given the store's database can no longer be written to
      When the operator checks the store's health
      Then the store reports that its database cannot be written to
