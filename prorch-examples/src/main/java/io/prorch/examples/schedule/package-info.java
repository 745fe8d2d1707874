/** The schedules-and-limits example: a cron schedule and a limited queue shared by two orchestrators. */
package io.prorch.examples.schedule;
