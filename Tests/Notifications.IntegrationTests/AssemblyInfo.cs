// Each test class starts a whole AppHost (several processes); on a 2-core CI machine they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
