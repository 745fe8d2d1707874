/** orch_serv's example: flows of blocks over four tiny services ({@link io.prorch.examples.flows.FlowsMain}). */
package io.prorch.examples.flows;
