-- the application's own migration, run by Spring Boot 4's Flyway into its default history table flyway_schema_history
CREATE TABLE app_orders (id VARCHAR(64) PRIMARY KEY, customer VARCHAR(100) NOT NULL, status VARCHAR(20) NOT NULL);
