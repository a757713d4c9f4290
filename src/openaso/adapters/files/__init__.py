"""Files written by people: plan documents, scenarios, fee schedules."""
