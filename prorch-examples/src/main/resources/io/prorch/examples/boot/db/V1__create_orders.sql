-- The sample application's own table, migrated by Spring Boot's Flyway into its own history table
-- (flyway_schema_history); prorch's tables are migrated separately, in prorch_schema_history.
CREATE TABLE sample_orders (
    id       VARCHAR(36)  PRIMARY KEY,
    customer VARCHAR(100) NOT NULL,
    status   VARCHAR(20)  NOT NULL
);
