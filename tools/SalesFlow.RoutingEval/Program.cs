using SalesFlow.RoutingEval;

return await RoutingEvalCommand.RunAsync(args, Console.Out, Console.Error);
