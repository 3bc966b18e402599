using GarnetHost;

var builder = Host.CreateApplicationBuilder(args);
builder.AddGarnetServer();
builder.Build().Run();
