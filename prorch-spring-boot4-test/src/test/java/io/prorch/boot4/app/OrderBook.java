package io.prorch.boot4.app;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The application's own data access, on the table of its own migration. */
@Component
public class OrderBook {
    private final JdbcTemplate jdbc;

    public OrderBook(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void place(String orderId, String customer) {
        jdbc.update("INSERT INTO app_orders (id, customer, status) VALUES (?, ?, 'placed')", orderId, customer);
    }

    public void setStatus(String orderId, String status) {
        if (jdbc.update("UPDATE app_orders SET status = ? WHERE id = ?", status, orderId) != 1) {
            throw new IllegalStateException("no order " + orderId + " in app_orders: place it first");
        }
    }

    public String status(String orderId) {
        return jdbc.queryForObject("SELECT status FROM app_orders WHERE id = ?", String.class, orderId);
    }
}
