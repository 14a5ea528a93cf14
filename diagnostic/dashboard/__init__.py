"""The Hub coordinators' dashboard: communes in scope, alerts, map, reviews, exports."""
