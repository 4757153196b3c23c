#!/usr/bin/env python3
"""Validates ECS task definitions offline against the ECS API model (botocore's RegisterTaskDefinition input shape).

    python3 deploy/validate-task-definition.py deploy/out/task-definitions/*.json

Uses botocore's own parameter validator, the one the AWS CLI runs before it sends anything: types, required
members, enums and ranges of the real API model. No network, no credentials. Exit 0 when every file is valid,
1 with one report per invalid file, 2 when botocore is missing (Debian: apt-get install python3-botocore).
"""
import json
import sys

try:
    import botocore.session
    from botocore.validate import ParamValidator
except ImportError:
    print("botocore is not installed: apt-get install python3-botocore (or pip install botocore)", file=sys.stderr)
    sys.exit(2)


def main(paths):
    model = botocore.session.get_session().get_service_model("ecs")
    shape = model.operation_model("RegisterTaskDefinition").input_shape
    invalid = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            request = json.load(f)
        report = ParamValidator().validate(request, shape)
        if report.has_errors():
            invalid += 1
            print(f"{path}: INVALID\n{report.generate_report()}")
        else:
            print(f"{path}: valid (botocore {botocore.__version__})")
    return 1 if invalid else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
