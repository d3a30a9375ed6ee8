import type { LanguageId } from "@pairpad/api/execution/executor";

/**
 * Small programs per language for the executor's tests and bench: a hello world reading a name from
 * stdin, a compile (or syntax) error naming `undefined_thing`, a runtime failure (prints "before", then
 * "boom" on stderr, exits 3), an endless loop, a memory hog, and an escape attempt (writes outside /box,
 * prints its environment).
 */
export interface Samples {
  hello: string;
  broken: string;
  fail: string;
  loop: string;
  hog: string;
  escape: string;
}

const ESCAPE_PATHS = ["/etc/pairpad-escape", "/pairpad-escape"];
export const escapePaths = ESCAPE_PATHS;

export const samples: Partial<Record<LanguageId, Samples>> = {
  go: {
    hello: `package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

func main() {
	s, _ := bufio.NewReader(os.Stdin).ReadString('\\n')
	fmt.Printf("Hello, %s!\\n", strings.TrimSpace(s))
}`,
    broken: "package main\n\nfunc main() { undefined_thing() }",
    fail: `package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Println("before")
	fmt.Fprintln(os.Stderr, "boom")
	os.Exit(3)
}`,
    loop: "package main\n\nfunc main() {\n\tfor {\n\t}\n}",
    hog: `package main

func main() {
	var keep [][]byte
	for {
		b := make([]byte, 16<<20)
		for i := range b {
			b[i] = 1
		}
		keep = append(keep, b)
	}
}`,
    escape: `package main

import (
	"fmt"
	"os"
	"sort"
)

func main() {
	for _, p := range []string{"/etc/pairpad-escape", "/pairpad-escape"} {
		if err := os.WriteFile(p, []byte("x"), 0644); err != nil {
			fmt.Println(p, "refused")
		} else {
			fmt.Println(p, "WRITTEN")
		}
	}
	env := os.Environ()
	sort.Strings(env)
	fmt.Println(env)
}`,
  },
  rust: {
    hello: `use std::io::BufRead;
fn main() {
    let mut s = String::new();
    std::io::stdin().lock().read_line(&mut s).unwrap();
    println!("Hello, {}!", s.trim());
}`,
    broken: "fn main() { undefined_thing(); }",
    fail: 'fn main() {\n    println!("before");\n    eprintln!("boom");\n    std::process::exit(3);\n}',
    loop: "fn main() {\n    loop {}\n}",
    hog: "fn main() {\n    let mut keep: Vec<Vec<u8>> = Vec::new();\n    loop {\n        keep.push(vec![1u8; 16 << 20]);\n    }\n}",
    escape: `fn main() {
    for p in ["/etc/pairpad-escape", "/pairpad-escape"] {
        match std::fs::write(p, "x") {
            Ok(_) => println!("{} WRITTEN", p),
            Err(_) => println!("{} refused", p),
        }
    }
    let mut env: Vec<String> = std::env::vars().map(|(k, v)| format!("{}={}", k, v)).collect();
    env.sort();
    println!("{:?}", env);
}`,
  },
  ruby: {
    hello: 'name = gets.strip\nputs "Hello, #{name}!"',
    broken: 'def broken(\n  puts "x" undefined_thing\n',
    fail: 'puts "before"\n$stdout.flush\nwarn "boom"\nexit 3',
    loop: "loop { }",
    hog: 'keep = []\nloop { keep << ("x" * 16_000_000) }',
    escape: `["/etc/pairpad-escape", "/pairpad-escape"].each do |p|
  begin
    File.write(p, "x")
    puts "#{p} WRITTEN"
  rescue SystemCallError
    puts "#{p} refused"
  end
end
puts ENV.to_h.sort.inspect`,
  },
  php: {
    hello: '<?php\n$name = trim(fgets(STDIN));\necho "Hello, $name!\\n";',
    broken: '<?php\necho "x" undefined_thing;\n',
    fail: '<?php\necho "before\\n";\nfwrite(STDERR, "boom\\n");\nexit(3);',
    loop: "<?php\nwhile (true) {}",
    hog: '<?php\n$keep = [];\nwhile (true) { $keep[] = str_repeat("x", 16000000); }',
    escape: `<?php
foreach (["/etc/pairpad-escape", "/pairpad-escape"] as $p) {
  echo $p, (@file_put_contents($p, "x") === false ? " refused" : " WRITTEN"), "\\n";
}
$env = getenv();
ksort($env);
echo json_encode($env), "\\n";`,
  },
  csharp: {
    hello: `using System;
class Program {
  static void Main() {
    var name = Console.ReadLine().Trim();
    Console.WriteLine("Hello, " + name + "!");
  }
}`,
    broken: "class Program { static void Main() { undefined_thing(); } }",
    fail: `using System;
class Program {
  static int Main() {
    Console.WriteLine("before");
    Console.Error.WriteLine("boom");
    return 3;
  }
}`,
    loop: "class Program { static void Main() { while (true) {} } }",
    hog: `using System.Collections.Generic;
class Program {
  static void Main() {
    var keep = new List<byte[]>();
    while (true) {
      var b = new byte[16 << 20];
      for (int i = 0; i < b.Length; i += 4096) b[i] = 1;
      keep.Add(b);
    }
  }
}`,
    escape: `using System;
using System.IO;
using System.Linq;
class Program {
  static void Main() {
    foreach (var p in new[] { "/etc/pairpad-escape", "/pairpad-escape" }) {
      try { File.WriteAllText(p, "x"); Console.WriteLine(p + " WRITTEN"); }
      catch (Exception) { Console.WriteLine(p + " refused"); }
    }
    var env = Environment.GetEnvironmentVariables();
    Console.WriteLine(string.Join(",", env.Keys.Cast<object>().Select(k => k + "=" + env[k]).OrderBy(s => s)));
  }
}`,
  },
  kotlin: {
    hello: 'fun main() {\n  val name = readLine()!!.trim()\n  println("Hello, $name!")\n}',
    broken: "fun main() {\n  undefined_thing()\n}",
    fail: 'import kotlin.system.exitProcess\n\nfun main() {\n  println("before")\n  System.err.println("boom")\n  exitProcess(3)\n}',
    loop: "fun main() {\n  while (true) {}\n}",
    hog: "fun main() {\n  val keep = ArrayList<LongArray>()\n  while (true) keep.add(LongArray(1 shl 20))\n}",
    escape: `import java.io.File

fun main() {
  for (p in listOf("/etc/pairpad-escape", "/pairpad-escape")) {
    try { File(p).writeText("x"); println("$p WRITTEN") } catch (e: Exception) { println("$p refused") }
  }
  println(System.getenv().toSortedMap())
}`,
  },
  scala: {
    hello: `object Main {
  def main(args: Array[String]): Unit = {
    val name = scala.io.StdIn.readLine().trim
    println(s"Hello, $name!")
  }
}`,
    broken: "object Main {\n  def main(args: Array[String]): Unit = undefined_thing()\n}",
    fail: `object Main {
  def main(args: Array[String]): Unit = {
    println("before")
    System.err.println("boom")
    sys.exit(3)
  }
}`,
    loop: "object Main {\n  def main(args: Array[String]): Unit = while (true) {}\n}",
    hog: `object Main {
  def main(args: Array[String]): Unit = {
    val keep = new java.util.ArrayList[Array[Long]]()
    while (true) keep.add(new Array[Long](1 << 20))
  }
}`,
    escape: `object Main {
  def main(args: Array[String]): Unit = {
    for (p <- Seq("/etc/pairpad-escape", "/pairpad-escape")) {
      try { java.nio.file.Files.write(java.nio.file.Paths.get(p), "x".getBytes); println(s"$p WRITTEN") }
      catch { case _: Exception => println(s"$p refused") }
    }
    println(new java.util.TreeMap[String, String](System.getenv()))
  }
}`,
  },
  bash: {
    hello: 'read -r name\necho "Hello, $name!"',
    broken: "echo start\nif [ 1 ; then undefined_thing\n",
    fail: "echo before\necho boom >&2\nexit 3",
    loop: "while :; do :; done",
    // Brace expansion allocates in C, a million words at a time: 256 MiB in 1.1 s under load here, where
    // reading a pipe into a variable took 5.0 s and building strings 8.9 s (of a 10 s limit in CI).
    hog: "keep=()\nwhile :; do keep+=({1..1000000}); done",
    escape: `for p in /etc/pairpad-escape /pairpad-escape; do
  if { echo x > "$p"; } 2>/dev/null; then echo "$p WRITTEN"; else echo "$p refused"; fi
done
env | sort`,
  },
  sql: {
    hello: "SELECT 'Hello, ' || name || '!' AS greeting FROM people;",
    broken: "SELEC undefined_thing FROM employees;",
    fail: "SELECT 'before' AS step;\nSELECT * FROM boom;",
    loop: "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c;",
    hog: "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000)\nSELECT length(group_concat(hex(zeroblob(100000)))) FROM c;",
    escape: "ATTACH DATABASE '/etc/pairpad-escape' AS x;\nCREATE TABLE x.t (a);",
  },
  haskell: {
    hello: 'main :: IO ()\nmain = do\n  name <- getLine\n  putStrLn ("Hello, " ++ name ++ "!")',
    broken: "main :: IO ()\nmain = undefined_thing",
    fail: 'import System.Exit\nimport System.IO\n\nmain :: IO ()\nmain = do\n  putStrLn "before"\n  hPutStrLn stderr "boom"\n  exitWith (ExitFailure 3)',
    loop: "main :: IO ()\nmain = let go :: Int -> Int\n           go n = go (n + 1)\n       in print (go 0)",
    hog: "main :: IO ()\nmain = do\n  let xs = [1 ..] :: [Integer]\n  print (length xs + fromIntegral (sum xs))",
    escape: `import Control.Exception
import Data.List (sort)
import System.Environment

main :: IO ()
main = do
  mapM_ attempt ["/etc/pairpad-escape", "/pairpad-escape"]
  env <- getEnvironment
  print (sort env)
  where
    attempt p = do
      r <- try (writeFile p "x") :: IO (Either IOException ())
      putStrLn (p ++ either (const " refused") (const " WRITTEN") r)`,
  },
  lua: {
    hello: 'local name = io.read("l")\nprint("Hello, " .. name .. "!")',
    broken: 'print("x" undefined_thing)',
    fail: 'print("before")\nio.stderr:write("boom\\n")\nos.exit(3)',
    loop: "while true do end",
    hog: 'local keep = {}\nwhile true do keep[#keep + 1] = string.rep("x", 16000000) .. #keep end',
    escape: `for _, p in ipairs({"/etc/pairpad-escape", "/pairpad-escape"}) do
  local f = io.open(p, "w")
  if f then f:write("x"); f:close(); print(p .. " WRITTEN") else print(p .. " refused") end
end
print(os.getenv("PAIRPAD_TEST_SECRET") or "no secret")`,
  },
  perl: {
    hello: 'my $name = <STDIN>;\nchomp $name;\nprint "Hello, $name!\\n";',
    broken: "use strict;\nprint undefined_thing(;",
    fail: 'print "before\\n";\nprint STDERR "boom\\n";\nexit 3;',
    loop: "1 while 1;",
    hog: 'my @keep;\nwhile (1) { push @keep, "x" x 16000000; }',
    escape: `for my $p ("/etc/pairpad-escape", "/pairpad-escape") {
  if (open(my $f, ">", $p)) { print $f "x"; close $f; print "$p WRITTEN\\n" } else { print "$p refused\\n" }
}
print join(",", map { "$_=$ENV{$_}" } sort keys %ENV), "\\n";`,
  },
  r: {
    hello: 'con <- file("stdin")\nname <- trimws(readLines(con, n = 1))\ncat(sprintf("Hello, %s!\\n", name))',
    broken: "print(1 undefined_thing)",
    fail: 'cat("before\\n")\nmessage("boom")\nquit(status = 3)',
    loop: "while (TRUE) {}",
    hog: "keep <- list()\nrepeat { keep[[length(keep) + 1]] <- numeric(2e6) + 1 }",
    escape: `for (p in c("/etc/pairpad-escape", "/pairpad-escape")) {
  ok <- tryCatch({ writeLines("x", p); TRUE }, error = function(e) FALSE, warning = function(w) FALSE)
  cat(p, if (ok) "WRITTEN" else "refused", "\\n")
}
print(Sys.getenv())`,
  },
};
