-- H2 rewrites every index of a row on each UPDATE, so each index costs every transition two tree writes (and two
-- more at commit). These two serve only ad-hoc searches (by pipeline name and status, by a step's pipeline), never
-- the orchestrator, which claims through pipelines_due and reads steps by id: on H2 such searches scan the table.
DROP INDEX ${prefix}pipelines_name_status;
DROP INDEX ${prefix}pipeline_steps_pipeline;
