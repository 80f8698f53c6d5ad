"""The specification's harness and steps, registered for pytest.

`harness.plugin` adds the options, seeds and guards, and registers the scenario's
fixtures for where the store runs (`harness.scenario` in process, `harness.live.scenario`
over the network); `harness.fixtures` the session's loop, template and app; the step
modules the vocabulary of the features.
The reports and the gate come from the pytest-bdd-toolkit plugin, loaded by its
entry point.
"""

pytest_plugins = [
    "harness.plugin",
    "harness.fixtures",
    "steps.support.world",
    "steps.people_steps",
    "steps.refusal_steps",
    "steps.clock_steps",
    "steps.listing_steps",
    "steps.registration_steps",
    "steps.welcome_email_steps",
    "steps.authentication_steps",
    "steps.throttling_steps",
    "steps.accounts_steps",
    "steps.account_changes_steps",
    "steps.store_admin_steps",
    "steps.errors_steps",
    "steps.request_limits_steps",
    "steps.products_steps",
    "steps.ordering_steps",
    "steps.stock_steps",
    "steps.payments_steps",
    "steps.payment_races_steps",
    "steps.provider_steps",
    "steps.startup_steps",
    "steps.command_line_steps",
    "steps.cors_steps",
    "steps.mail_steps",
    "steps.server_steps",
    "steps.served_store_steps",
    "steps.security_steps",
]
