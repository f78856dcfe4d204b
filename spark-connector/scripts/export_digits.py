#!/usr/bin/python3
"""Exports scikit-learn's 8x8 digits (load_digits: 1,797 rows, 64 pixel features 0..16, labels
0..9) to the CSV embedded in the spark-connector jar, the DP-SGD job's default data set.

Run with Debian's scikit-learn (apt-get install -y python3-sklearn):

    /usr/bin/python3 spark-connector/scripts/export_digits.py \
        > spark-connector/src/main/resources/io/sparkfunc/spark/data/digits.csv

Columns: p0..p63 (integers, row-major pixels), label. Rows in load_digits order.
"""
import sys

from sklearn.datasets import load_digits

digits = load_digits()
out = sys.stdout
out.write(",".join([f"p{i}" for i in range(64)] + ["label"]) + "\n")
for row, label in zip(digits.data, digits.target):
    out.write(",".join(str(int(v)) for v in row) + f",{int(label)}\n")
