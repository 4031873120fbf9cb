using DuckWorker.Testing.Broker;

[assembly: AssemblyFixture(typeof(BrokerFixture))]
