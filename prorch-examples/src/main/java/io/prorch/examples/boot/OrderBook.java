package io.prorch.examples.boot;

import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The application's own data access: the {@code sample_orders} table its Flyway migration created. */
@Component
public class OrderBook {
    private final JdbcTemplate jdbc;

    public OrderBook(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @return the new order's id */
    public String place(String customer) {
        String id = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO sample_orders (id, customer, status) VALUES (?, ?, 'placed')", id, customer);
        return id;
    }

    /** Sets the status; idempotent, so a step that runs again does no harm. */
    public void setStatus(String orderId, String status) {
        jdbc.update("UPDATE sample_orders SET status = ? WHERE id = ?", status, orderId);
    }

    public String status(String orderId) {
        return jdbc.queryForObject("SELECT status FROM sample_orders WHERE id = ?", String.class, orderId);
    }
}
