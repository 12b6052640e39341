"""Plain helpers that make rows for tests through the domain functions (not raw inserts)."""
from server.accounts import users, evaluations
from server.infra.extensions import db


def make_evaluation(code="county1", name="测试评估 Test evaluation", **kwargs):
    evaluation = evaluations.create_evaluation(code, name, actor="test", **kwargs)
    db.session.commit()
    return evaluation


def make_enumerator(evaluation, username="enum1", county="凉城县", township="岱海镇", village="东营子村",
                    password=None, **kwargs):
    """Returns (enumerator, collect_token)."""
    enumerator, token = users.create_enumerator(evaluation, username, county=county, township=township,
                                                village=village, password=password, actor="test",
                                                **kwargs)
    db.session.commit()
    return enumerator, token


def make_user(username="sup1", role="supervisor", evaluation=None, password="correct horse battery"):
    user = users.create_user(username, password, role, evaluation, actor="test")
    db.session.commit()
    return user
