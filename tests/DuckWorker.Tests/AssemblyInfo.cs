using DuckWorker.Testing.Broker;

[assembly: AssemblyFixture(typeof(BrokerFixture))]
[assembly: AssemblyFixture(typeof(DuckWorker.Tests.WebConsole.ChromiumFixture))]
