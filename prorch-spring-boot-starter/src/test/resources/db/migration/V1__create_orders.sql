-- the application's own migration, run by Spring Boot's Flyway into its default history table
CREATE TABLE app_orders (id BIGINT PRIMARY KEY, customer VARCHAR(100) NOT NULL);
