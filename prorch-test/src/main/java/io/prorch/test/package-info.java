/**
 * Testing pipelines without sleeps: {@link io.prorch.test.TestOrchestrator} (an orchestrator on a
 * {@link io.prorch.test.SettableClock} and an in-memory store, with {@code runUntilIdle} and {@code runUntilDone}),
 * {@link io.prorch.test.ProrchAssertions} (AssertJ assertions on pipelines and steps), and
 * {@link io.prorch.test.ForwardingRepository} for stores that fail on purpose. The repository contract kit is in
 * {@link io.prorch.test.contract}. Add {@code io.prorch:prorch-test} in test scope; JUnit 5 and AssertJ come with it.
 */
package io.prorch.test;
