-- fixture_types.sql: small tables for the TDS server's own tests: one column per SQL Server
-- type the server maps, a table of 1500 rows, and a table the DML tests change.
-- Types are written the SQL Server way; the server turns (MAX) into something SQLite reads.

CREATE TABLE tbTypes (
  ID        INT NOT NULL PRIMARY KEY,
  IntCol    INT,
  BigCol    BIGINT,
  SmallCol  SMALLINT,
  TinyCol   TINYINT,
  BitCol    BIT,
  GuidCol   UNIQUEIDENTIFIER,
  DateCol   DATETIME,
  TextCol   NVARCHAR(256),
  LongCol   NVARCHAR(MAX),
  BinCol    VARBINARY(64),
  FixedBin  BINARY(4),
  NoteCol   NTEXT
);

-- row 1: a value in every column; LongCol is 5010 characters, beyond NVARCHAR(4000)
INSERT INTO tbTypes VALUES (1, 2147483647, 9007199254740993, -32768, 255, 1,
  '6F9619FF-8B86-D011-B42D-00C04FC964FF', '2024-03-15 13:45:30.997',
  'セキュリティ更新プログラム',
  'start-' || replace(hex(zeroblob(2500)), '00', 'ab') || '-終わり',
  X'DEADBEEF00', X'01020304', 'a note; with -- no comment');
-- row 2: NULL everywhere
INSERT INTO tbTypes (ID) VALUES (2);
-- row 3: small values and a date with 'T'
INSERT INTO tbTypes VALUES (3, -1, -5, 7, 0, 0, '00000000-0000-0000-0000-000000000001',
  '1900-01-01T00:00:00', 'plain', '', X'', X'00000000', '');

CREATE TABLE tbMany (
  ID    INT NOT NULL PRIMARY KEY,
  Name  NVARCHAR(100) NOT NULL,
  Guid  UNIQUEIDENTIFIER
);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500)
INSERT INTO tbMany SELECT i, 'row number ' || i || ' ユニコード',
  printf('%08X-0000-0000-0000-%012X', i, i) FROM n;

CREATE TABLE tbEdit (
  ID     INT NOT NULL PRIMARY KEY,
  State  INT NOT NULL,
  Label  NVARCHAR(50)
);
INSERT INTO tbEdit VALUES (1, 0, 'one'), (2, 0, 'two'), (3, 0, 'three'), (4, 5, 'four');
