Console.WriteLine("ra");
