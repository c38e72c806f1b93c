"""The observation app's column in the jurisdiction browser and its home-page cards."""

from django.utils.translation import gettext_lazy as _


def register_hooks() -> None:
    from fangkong.accounts.roles import Role
    from fangkong.core import demo_steps, home
    from fangkong.core.querysets import register_narrowing
    from fangkong.geo import counters
    from fangkong.observation import querysets as sited
    from fangkong.observation.models import AlertTask, ObservationPeriod

    # A quarantine site's staff work on the persons placed at their sites (#17), and on
    # their observation there: not on the county's registry, nor on home observation.
    site = Role.QUARANTINE_SITE
    register_narrowing(site, "people.person", sited.site_residents)
    register_narrowing(site, "people.household", sited.site_households)
    register_narrowing(site, "observation.observationperiod", sited.site_periods)
    register_narrowing(site, "observation.quarantinesite", sited.own_sites)
    register_narrowing(site, "observation.room", sited.own_rooms)
    for rows in ("checkin", "alerttask", "referral", "placement"):
        register_narrowing(site, f"observation.{rows}", sited.site_period_rows)
    for rows in ("healthcode", "codechange", "codeoverride", "arrival", "dailycheckin"):
        register_narrowing(site, f"healthcode.{rows}", sited.site_person_rows)
    # Hand-overs to and from other cities: those of their persons only.
    register_narrowing(site, "exchange.handoverrequest", sited.site_person_rows)

    counters.register_rows(
        "observation",
        _("Under observation"),
        lambda user: ObservationPeriod.objects.restrict(user, "view").open(),  # type: ignore[attr-defined]
    )

    def demo_step(seed: int) -> str:
        import io

        from django.core.management import call_command

        out = io.StringIO()
        call_command("demo_observation", seed=seed, stdout=out, stderr=io.StringIO())
        lines = [line for line in out.getvalue().splitlines() if line.strip()]
        return lines[-1].removeprefix("observation: ") if lines else "done"

    demo_steps.register("observation", demo_step)

    home.register(
        home.Card(
            _("Medical observation"),
            "observation:dashboard",
            "observation.observationperiod",
            "view",
            _("Home and site observation, check-ins, alerts and releases"),
            lambda user: ObservationPeriod.objects.restrict(user, "view").open().count(),  # type: ignore[attr-defined]
        )
    )
    home.register(
        home.Card(
            _("Missed check-ins"),
            "observation:tasks",
            "observation.alerttask",
            "change",
            _("Persons to call or visit: they missed a check-in"),
            # The same rows as the list behind the card (every open task, any day).
            lambda user: AlertTask.objects.restrict(user, "view").filter(status="open").count(),
        )
    )
