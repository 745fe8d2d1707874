-- Room on every page for the next version of its rows: a transition that changes no indexed column (most do not:
-- the claim and due time stay as they are while the claim is fresh) is then a HOT update, which writes no index.
ALTER TABLE ${prefix}pipelines SET (fillfactor = 80);
ALTER TABLE ${prefix}pipeline_steps SET (fillfactor = 80);
