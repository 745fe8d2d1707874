/** The ticks of recurring starts: cron expressions and fixed intervals. Not API: it may change at any time. */
package io.prorch.internal.schedule;
