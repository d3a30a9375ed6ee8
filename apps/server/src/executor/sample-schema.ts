/**
 * The database a SQL run starts with when its request brings no seed of its own (a question defines its
 * own with `seed`): two small related tables, enough for joins, grouping and window functions.
 */
export const sampleSchema = `CREATE TABLE departments (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);
CREATE TABLE employees (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  department_id INTEGER REFERENCES departments(id),
  manager_id INTEGER REFERENCES employees(id),
  salary INTEGER NOT NULL,
  hired_on TEXT NOT NULL
);
INSERT INTO departments (id, name) VALUES (1, 'Engineering'), (2, 'Sales'), (3, 'Support');
INSERT INTO employees (id, name, department_id, manager_id, salary, hired_on) VALUES
  (1, 'Ada', 1, NULL, 185000, '2019-03-01'),
  (2, 'Grace', 1, 1, 162000, '2020-07-15'),
  (3, 'Linus', 1, 1, 148000, '2021-01-10'),
  (4, 'Margaret', 2, NULL, 131000, '2018-11-05'),
  (5, 'Alan', 2, 4, 97000, '2022-02-21'),
  (6, 'Barbara', 3, NULL, 88000, '2020-05-30'),
  (7, 'Ken', 3, 6, 72000, '2023-09-12');
`;
