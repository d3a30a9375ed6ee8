import type { LanguageId } from "@pairpad/api/execution/executor";
import { samples } from "./samples.ts";

/**
 * Per language, the programs a verdict test judges against "print a + b": the right answer, a wrong
 * one, one that hangs on one test only, a crash, a compile or syntax error, a memory hog, and one
 * that prints a float or a megabyte. The crash, the broken program and the hog are the language
 * samples' own (`samples.ts`); SQL reads no stdin and has its own tests.
 */
export interface VerdictPrograms {
  sum: string;
  wrong: string;
  /** Loops forever when a == 7 (the third test only). */
  slowOnSeven: string;
  crash: string;
  broken: string;
  hog: string;
  /** "big n" prints n a's; "a b" prints a / b as a float. */
  floatOrBig: string;
}

type Own = Omit<VerdictPrograms, "crash" | "broken" | "hog"> &
  Partial<Pick<VerdictPrograms, "crash" | "broken" | "hog">>;

const jsRead = `require("fs").readFileSync(0, "utf8").trim().split(/\\s+/)`;
const java = (body: string) =>
  `import java.util.*;\npublic class Main { public static void main(String[] x) { Scanner s = new Scanner(System.in); ${body} } }`;
const go = (imports: string[], body: string) =>
  `package main\n\nimport (\n${imports.map((i) => `\t"${i}"`).join("\n")}\n)\n\nfunc main() {\n${body}\n}`;
const rustRead =
  "use std::io::{Read, Write};\nfn main() {\n    let mut s = String::new();\n    std::io::stdin().read_to_string(&mut s).unwrap();\n    let t: Vec<&str> = s.split_whitespace().collect();\n";
const csharp = (body: string) =>
  `using System;\nusing System.Globalization;\nclass Program {\n  static void Main() {\n    var t = Console.In.ReadToEnd().Split((char[])null, StringSplitOptions.RemoveEmptyEntries);\n${body}\n  }\n}`;
const scala = (body: string) =>
  `object Main {\n  def main(args: Array[String]): Unit = {\n    val t = scala.io.Source.stdin.mkString.trim.split("\\\\s+")\n${body}\n  }\n}`;
const haskellSum = (expression: string, seven = "") =>
  `main :: IO ()\nmain = do\n  s <- getContents\n  let [a, b] = map read (words s) :: [Integer]\n  ${seven}print (${expression})${seven ? "\n\nspin :: Int -> IO ()\nspin n = spin (n + 1)" : ""}`;

const own: Partial<Record<LanguageId, Own>> = {
  python: {
    sum: "a, b = map(int, input().split())\nprint(a + b)",
    wrong: "a, b = map(int, input().split())\nprint(a - b)",
    slowOnSeven: "a, b = map(int, input().split())\nwhile a == 7:\n    pass\nprint(a + b)",
    crash: "a, b = map(int, input().split())\nprint(a // 0)",
    broken: "def (:\n",
    hog: "chunks = []\nwhile True:\n    chunks.append('x' * 10_000_000)",
    floatOrBig:
      "import sys\nt = sys.stdin.read().split()\nif t[0] == 'big':\n    sys.stdout.write('a' * int(t[1]) + '\\n')\nelse:\n    print(int(t[0]) / int(t[1]))",
  },
  javascript: {
    sum: `const [a, b] = ${jsRead}.map(Number);\nconsole.log(a + b);`,
    wrong: `const [a, b] = ${jsRead}.map(Number);\nconsole.log(a - b);`,
    slowOnSeven: `const [a, b] = ${jsRead}.map(Number);\nwhile (a === 7) {}\nconsole.log(a + b);`,
    crash: `const [a] = ${jsRead};\nconsole.log(null[a]);`,
    broken: "function (\n",
    hog: "const keep = [];\nfor (;;) keep.push(Buffer.alloc(16 * 1024 * 1024, 1));",
    floatOrBig: `const t = ${jsRead};\nif (t[0] === "big") process.stdout.write("a".repeat(Number(t[1])) + "\\n");\nelse console.log(Number(t[0]) / Number(t[1]));`,
  },
  typescript: {
    sum: `const [a, b]: number[] = ${jsRead}.map(Number);\nconsole.log(a + b);`,
    wrong: `const [a, b]: number[] = ${jsRead}.map(Number);\nconsole.log(a - b);`,
    slowOnSeven: `const [a, b]: number[] = ${jsRead}.map(Number);\nwhile (a === 7) {}\nconsole.log(a + b);`,
    crash: `const t: string[] = ${jsRead};\nconsole.log((null as any)[t[0]]);`,
    broken: "let x: = ;\n",
    hog: "const keep: Buffer[] = [];\nfor (;;) keep.push(Buffer.alloc(16 * 1024 * 1024, 1));",
    floatOrBig: `const t: string[] = ${jsRead};\nif (t[0] === "big") process.stdout.write("a".repeat(Number(t[1])) + "\\n");\nelse console.log(Number(t[0]) / Number(t[1]));`,
  },
  java: {
    sum: java("long a = s.nextLong(), b = s.nextLong(); System.out.println(a + b);"),
    wrong: java("long a = s.nextLong(), b = s.nextLong(); System.out.println(a - b);"),
    slowOnSeven: java(
      "long a = s.nextLong(), b = s.nextLong(); while (a == 7) {} System.out.println(a + b);",
    ),
    crash: java(
      'long a = s.nextLong(); if (a > 0) throw new RuntimeException("boom"); System.out.println(a);',
    ),
    broken: "public class Main { void f( }",
    hog: "import java.util.*;\npublic class Main { public static void main(String[] a) { List<long[]> keep = new ArrayList<>(); for (;;) keep.add(new long[1 << 20]); } }",
    floatOrBig: java(
      'String t = s.next(); if (t.equals("big")) { int n = s.nextInt(); System.out.println("a".repeat(n)); } else { double a = Double.parseDouble(t), b = s.nextDouble(); System.out.println(a / b); }',
    ),
  },
  cpp: {
    sum: '#include <iostream>\nint main() { long long a, b; std::cin >> a >> b; std::cout << a + b << "\\n"; }',
    wrong:
      '#include <iostream>\nint main() { long long a, b; std::cin >> a >> b; std::cout << a - b << "\\n"; }',
    // volatile: an empty infinite loop may be optimised away in C++.
    slowOnSeven:
      '#include <iostream>\nint main() { long long a, b; std::cin >> a >> b; volatile long long v = a; while (v == 7) {} std::cout << a + b << "\\n"; }',
    crash:
      "#include <iostream>\n#include <cstdlib>\nint main() { long long a; std::cin >> a; if (a > 0) std::abort(); }",
    broken: "int main( {",
    hog: "#include <cstdlib>\n#include <cstring>\nint main() { for (;;) { char* p = (char*)std::malloc(1 << 24); std::memset(p, 1, 1 << 24); } }",
    floatOrBig:
      '#include <iostream>\n#include <string>\nint main() { std::string t; std::cin >> t; if (t == "big") { long n; std::cin >> n; std::cout << std::string(n, \'a\') << "\\n"; } else { double a = std::stod(t), b; std::cin >> b; std::cout.precision(12); std::cout << a / b << "\\n"; } }',
  },
  go: {
    sum: go(["fmt"], "\tvar a, b int64\n\tfmt.Scan(&a, &b)\n\tfmt.Println(a + b)"),
    wrong: go(["fmt"], "\tvar a, b int64\n\tfmt.Scan(&a, &b)\n\tfmt.Println(a - b)"),
    slowOnSeven: go(
      ["fmt"],
      "\tvar a, b int64\n\tfmt.Scan(&a, &b)\n\tfor a == 7 {\n\t}\n\tfmt.Println(a + b)",
    ),
    floatOrBig: go(
      ["bufio", "fmt", "os", "strconv", "strings"],
      '\tvar t string\n\tfmt.Scan(&t)\n\tif t == "big" {\n\t\tvar n int\n\t\tfmt.Scan(&n)\n\t\tw := bufio.NewWriter(os.Stdout)\n\t\tw.WriteString(strings.Repeat("a", n) + "\\n")\n\t\tw.Flush()\n\t} else {\n\t\ta, _ := strconv.ParseFloat(t, 64)\n\t\tvar b float64\n\t\tfmt.Scan(&b)\n\t\tfmt.Println(a / b)\n\t}',
    ),
  },
  rust: {
    sum: `${rustRead}    let (a, b): (i64, i64) = (t[0].parse().unwrap(), t[1].parse().unwrap());\n    println!("{}", a + b);\n    std::io::stdout().flush().unwrap();\n}`,
    wrong: `${rustRead}    let (a, b): (i64, i64) = (t[0].parse().unwrap(), t[1].parse().unwrap());\n    println!("{}", a - b);\n    std::io::stdout().flush().unwrap();\n}`,
    // A volatile read: the loop is not optimised into a single test.
    slowOnSeven: `${rustRead}    let (a, b): (i64, i64) = (t[0].parse().unwrap(), t[1].parse().unwrap());\n    while unsafe { std::ptr::read_volatile(&a) } == 7 {}\n    println!("{}", a + b);\n    std::io::stdout().flush().unwrap();\n}`,
    floatOrBig: `${rustRead}    if t[0] == "big" {\n        let n: usize = t[1].parse().unwrap();\n        let mut out = "a".repeat(n);\n        out.push('\\n');\n        std::io::stdout().write_all(out.as_bytes()).unwrap();\n    } else {\n        let (a, b): (f64, f64) = (t[0].parse().unwrap(), t[1].parse().unwrap());\n        println!("{}", a / b);\n    }\n}`,
  },
  ruby: {
    sum: "a, b = gets.split.map(&:to_i)\nputs a + b",
    wrong: "a, b = gets.split.map(&:to_i)\nputs a - b",
    slowOnSeven: "a, b = gets.split.map(&:to_i)\nwhile a == 7\nend\nputs a + b",
    floatOrBig:
      't = STDIN.read.split\nif t[0] == "big"\n  $stdout.write("a" * t[1].to_i + "\\n")\nelse\n  puts t[0].to_f / t[1].to_f\nend',
  },
  php: {
    sum: '<?php\nfscanf(STDIN, "%d %d", $a, $b);\necho $a + $b, "\\n";',
    wrong: '<?php\nfscanf(STDIN, "%d %d", $a, $b);\necho $a - $b, "\\n";',
    slowOnSeven: '<?php\nfscanf(STDIN, "%d %d", $a, $b);\nwhile ($a == 7) {}\necho $a + $b, "\\n";',
    floatOrBig:
      '<?php\n$t = preg_split("/\\\\s+/", trim(stream_get_contents(STDIN)));\nif ($t[0] === "big") { echo str_repeat("a", (int)$t[1]), "\\n"; } else { echo (float)$t[0] / (float)$t[1], "\\n"; }',
  },
  csharp: {
    sum: csharp("    long a = long.Parse(t[0]), b = long.Parse(t[1]);\n    Console.WriteLine(a + b);"),
    wrong: csharp("    long a = long.Parse(t[0]), b = long.Parse(t[1]);\n    Console.WriteLine(a - b);"),
    slowOnSeven: csharp(
      "    long a = long.Parse(t[0]), b = long.Parse(t[1]);\n    while (a == 7) {}\n    Console.WriteLine(a + b);",
    ),
    floatOrBig: csharp(
      '    if (t[0] == "big") {\n      Console.Out.Write(new string(\'a\', int.Parse(t[1])) + "\\n");\n    } else {\n      double a = double.Parse(t[0], CultureInfo.InvariantCulture), b = double.Parse(t[1], CultureInfo.InvariantCulture);\n      Console.WriteLine((a / b).ToString(CultureInfo.InvariantCulture));\n    }',
    ),
  },
  kotlin: {
    sum: 'fun main() {\n  val (a, b) = readLine()!!.trim().split(" ").map { it.toLong() }\n  println(a + b)\n}',
    wrong:
      'fun main() {\n  val (a, b) = readLine()!!.trim().split(" ").map { it.toLong() }\n  println(a - b)\n}',
    slowOnSeven:
      'fun main() {\n  val (a, b) = readLine()!!.trim().split(" ").map { it.toLong() }\n  while (a == 7L) {}\n  println(a + b)\n}',
    floatOrBig:
      'fun main() {\n  val t = generateSequence(::readLine).joinToString(" ").trim().split(Regex(" +"))\n  if (t[0] == "big") print("a".repeat(t[1].toInt()) + "\\n") else println(t[0].toDouble() / t[1].toDouble())\n}',
  },
  scala: {
    sum: scala("    val Array(a, b) = t.map(_.toLong)\n    println(a + b)"),
    wrong: scala("    val Array(a, b) = t.map(_.toLong)\n    println(a - b)"),
    slowOnSeven: scala("    val Array(a, b) = t.map(_.toLong)\n    while (a == 7) {}\n    println(a + b)"),
    floatOrBig: scala(
      '    if (t(0) == "big") print("a" * t(1).toInt + "\\n")\n    else println(t(0).toDouble / t(1).toDouble)',
    ),
  },
  haskell: {
    sum: haskellSum("a + b"),
    wrong: haskellSum("a - b"),
    slowOnSeven: haskellSum("a + b", "if a == 7 then spin 0 else "),
    floatOrBig:
      'main :: IO ()\nmain = do\n  s <- getContents\n  case words s of\n    ["big", n] -> putStrLn (replicate (read n) \'a\')\n    [a, b] -> print (read a / read b :: Double)\n    _ -> error "bad input"',
  },
  bash: {
    sum: "read -r a b\necho $((a + b))",
    wrong: "read -r a b\necho $((a - b))",
    slowOnSeven: 'read -r a b\nwhile [ "$a" -eq 7 ]; do :; done\necho $((a + b))',
    floatOrBig:
      'read -r t n\nif [ "$t" = big ]; then\n  head -c "$n" /dev/zero | tr \'\\0\' a\n  echo\nelse\n  awk -v a="$t" -v b="$n" \'BEGIN { printf "%.6f\\n", a / b }\'\nfi',
  },
  lua: {
    sum: 'local a, b = io.read("l"):match("(%-?%d+)%s+(%-?%d+)")\nprint(tonumber(a) + tonumber(b))',
    wrong: 'local a, b = io.read("l"):match("(%-?%d+)%s+(%-?%d+)")\nprint(tonumber(a) - tonumber(b))',
    slowOnSeven:
      'local a, b = io.read("l"):match("(%-?%d+)%s+(%-?%d+)")\na, b = tonumber(a), tonumber(b)\nwhile a == 7 do end\nprint(a + b)',
    floatOrBig:
      'local t = io.read("a")\nlocal n = t:match("^big%s+(%d+)")\nif n then\n  io.write(string.rep("a", tonumber(n)), "\\n")\nelse\n  local a, b = t:match("(%S+)%s+(%S+)")\n  print(tonumber(a) / tonumber(b))\nend',
  },
  perl: {
    sum: 'my ($x, $y) = split " ", <STDIN>;\nprint $x + $y, "\\n";',
    wrong: 'my ($x, $y) = split " ", <STDIN>;\nprint $x - $y, "\\n";',
    slowOnSeven: 'my ($x, $y) = split " ", <STDIN>;\n1 while $x == 7;\nprint $x + $y, "\\n";',
    floatOrBig:
      'local $/;\nmy @t = split " ", <STDIN>;\nif ($t[0] eq "big") { print "a" x $t[1], "\\n" } else { print $t[0] / $t[1], "\\n" }',
  },
  r: {
    sum: 'v <- scan(file("stdin"), quiet = TRUE)\ncat(v[1] + v[2], "\\n", sep = "")',
    wrong: 'v <- scan(file("stdin"), quiet = TRUE)\ncat(v[1] - v[2], "\\n", sep = "")',
    slowOnSeven:
      'v <- scan(file("stdin"), quiet = TRUE)\nwhile (v[1] == 7) {}\ncat(v[1] + v[2], "\\n", sep = "")',
    floatOrBig:
      't <- scan(file("stdin"), what = "", quiet = TRUE)\nif (t[1] == "big") cat(strrep("a", as.integer(t[2])), "\\n", sep = "") else cat(format(as.numeric(t[1]) / as.numeric(t[2]), digits = 10), "\\n", sep = "")',
  },
};

/** Every language with verdict programs, the samples' crash, broken program and hog filled in. */
export const verdictPrograms: Partial<Record<LanguageId, VerdictPrograms>> = Object.fromEntries(
  Object.entries(own).flatMap(([id, programs]) => {
    const sample = samples[id as LanguageId];
    const crash = programs.crash ?? sample?.fail;
    const broken = programs.broken ?? sample?.broken;
    const hog = programs.hog ?? sample?.hog;
    if (!crash || !broken || !hog) return [];
    return [[id, { ...programs, crash, broken, hog }]];
  }),
);
