"""Agency inferred from the body (spec §8 reading.inferred) and suggested for a misread name
(reading.suggested). Expected names checked by hand against the divisions data: 高陵区 is
610117 under 西安市 (6101); 洪泽区 is a district of 淮安市."""

from nianbao.extract.agency import infer_agency, suggest_agency


def test_a_district_named_in_the_body_and_speaking_of_itself():
    text = "2022年，高陵区紧扣工作重点，持续推进政府信息公开工作。……2022年度我区未收取信息处理费。高陵区政务公开专区10处。"
    agency, evidence = infer_agency(text)
    assert agency == "西安市高陵区人民政府"
    assert "高陵区" in evidence and "我区" in evidence


def test_a_department_is_never_given_its_governments_name():
    text = "2022年，我局在高陵区委、区政府领导下……高陵区各街办……我局未收到申请。高陵区"
    assert infer_agency(text) is None


def test_no_place_no_inference():
    assert infer_agency("我区认真贯彻条例，全年主动公开信息120条。") is None


def test_a_misread_character_is_suggested_within_its_city():
    assert suggest_agency("淮安市洪择区人民政府") == "淮安市洪泽区人民政府"


def test_a_correct_or_unknown_name_gets_no_suggestion():
    assert suggest_agency("淮安市洪泽区人民政府") is None
    assert suggest_agency("平潭综合实验区金井片区管理局") is None
    # 沐阳县: one character from 沭阳县, but also from 泌阳县, 射阳县 …: no single likely name
    assert suggest_agency("沐阳县人民政府") is None
